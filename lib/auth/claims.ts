/**
 * Assurance claims carried by the session, named as in OIDC Core §2 (ID Token) so an IdP's claims map
 * onto them directly:
 * - amr: RFC 8176 §2 method references, e.g. ["pwd"] after a password;
 * - acr: Vault's own assurance class (below);
 * - auth_time: epoch seconds of the primary authentication.
 * The assurance guard reads only these, and they are set only on the server.
 */

/**
 * Vault's acr values (an app-level class, as OIDC Core §2 allows).
 * - AAL1: one factor, e.g. a password (NIST SP 800-63B-4 §2.1).
 * - PHR: a phishing-resistant authenticator with user verification, i.e. a passkey with UV
 *   (NIST SP 800-63B-4 §2.2 and §3.2.5; the idea of OpenID EAP ACR Values' "phr").
 * Ordered from weakest to strongest: a policy asking for one class accepts any stronger one.
 */
export const ACR = {
  AAL1: "urn:vault:acr:aal1",
  PHR: "urn:vault:acr:phr",
} as const;
export type Acr = (typeof ACR)[keyof typeof ACR];
export const ACR_ORDER: readonly Acr[] = [ACR.AAL1, ACR.PHR];

export const isAcr = (value: unknown): value is Acr => typeof value === "string" && (ACR_ORDER as string[]).includes(value);

/** True when `actual` is at least as strong as `required`. Unknown values never satisfy anything. */
export function acrSatisfies(actual: unknown, required: Acr): boolean {
  return isAcr(actual) && ACR_ORDER.indexOf(actual) >= ACR_ORDER.indexOf(required);
}

export type AssuranceClaims = {
  amr: string[];
  acr: Acr;
  /** Epoch seconds of the sign-in (OIDC Core §2 auth_time). */
  auth_time: number;
};

export const epochSeconds = (date: Date = new Date()) => Math.floor(date.getTime() / 1000);

/** What a password sign-in proves: one knowledge factor (RFC 8176 §2 "pwd"), AAL1. */
export function passwordSignInClaims(now: Date = new Date()): AssuranceClaims {
  return { amr: ["pwd"], acr: ACR.AAL1, auth_time: epochSeconds(now) };
}

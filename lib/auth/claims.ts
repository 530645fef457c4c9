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

export const isAcr = (value: unknown): value is Acr =>
  typeof value === "string" && (ACR_ORDER as string[]).includes(value);

/** True when `actual` is at least as strong as `required`. Unknown values never satisfy anything. */
export function acrSatisfies(actual: unknown, required: Acr): boolean {
  return isAcr(actual) && ACR_ORDER.indexOf(actual) >= ACR_ORDER.indexOf(required);
}

export type AssuranceClaims = {
  amr: string[];
  acr: Acr;
  /** Epoch seconds of the sign-in (OIDC Core §2 auth_time). */
  auth_time: number;
  /**
   * Epoch seconds of the latest phishing-resistant authentication (a passkey with UV), at sign-in or
   * at a step-up. Freshness for step-up is measured from this, never from the login.
   */
  phr_time?: number;
  /** Epoch seconds of the latest password re-entry (the first-passkey bootstrapping rule). */
  reauth_time?: number;
  /** Epoch seconds of a sign-in with password + recovery code: lets a new passkey be enrolled. */
  recovery_time?: number;
};

export const epochSeconds = (date: Date = new Date()) => Math.floor(date.getTime() / 1000);

/** What a password sign-in proves: one knowledge factor (RFC 8176 §2 "pwd"), AAL1. */
export function passwordSignInClaims(now: Date = new Date()): AssuranceClaims {
  return { amr: ["pwd"], acr: ACR.AAL1, auth_time: epochSeconds(now) };
}

/**
 * What a password plus a single-use recovery code proves. RFC 8176 has no value for look-up secrets;
 * "otp" (§2, a one-time password) is the nearest registered one. It is not phishing-resistant, so
 * acr stays AAL1: it can enrol a new passkey (policy "passkey.add"), never pass a step-up.
 */
export function recoverySignInClaims(now: Date = new Date()): AssuranceClaims {
  const t = epochSeconds(now);
  return { amr: ["pwd", "otp"], acr: ACR.AAL1, auth_time: t, reauth_time: t, recovery_time: t };
}

/** What the authenticator reported in a verified WebAuthn assertion (WebAuthn L3 §6.1 flags). */
export type AssertionFlags = {
  /** UV: the authenticator verified the user (PIN or biometric). Vault requires it. */
  userVerified: boolean;
  /** BE: "multiDevice" keys can be synced between devices (WebAuthn L3 §6.1.3). */
  deviceType: "singleDevice" | "multiDevice";
};

/**
 * amr values for a verified passkey assertion, from RFC 8176 §2 and OpenID EAP ACR Values:
 * - "pop": proof of possession of a key. Chosen over "hwk": Vault asks for no attestation, so it
 *   can't know the key is hardware-bound, and a synced passkey isn't.
 * - "swk": added when the credential is backup-eligible (BE=1): a synced key is software-secured.
 * - "user": user presence was tested (WebAuthn always requires UP).
 * - "mfa": UV=1 means possession plus a PIN or biometric, i.e. two factors (NIST SP 800-63B-4 §3.1.7).
 * Without UV there is no mfa claim at all: the assertion is refused before it gets here.
 */
export function passkeyAmr(flags: AssertionFlags): string[] {
  if (!flags.userVerified) return [];
  return ["pop", ...(flags.deviceType === "multiDevice" ? ["swk"] : []), "user", "mfa"];
}

/** Union of method lists, keeping first-seen order: ["pwd"] + ["pop","mfa"] -> ["pwd","pop","mfa"]. */
export const mergeAmr = (a: readonly string[], b: readonly string[]) => [...new Set([...a, ...b])];

/** A passkey sign-in is itself phishing-resistant: it satisfies non-bound policies within their max age. */
export function passkeySignInClaims(flags: AssertionFlags, now: Date = new Date()): AssuranceClaims {
  const t = epochSeconds(now);
  return { amr: passkeyAmr(flags), acr: ACR.PHR, auth_time: t, phr_time: t };
}

/** What a consumed grant adds to a session. */
export type Grant = { amr: string[]; acr: Acr; authTime: number };

/** Raises claims from a grant: a passkey grant sets acr PHR and phr_time; a password grant, reauth_time. */
export function applyGrant<T extends Partial<AssuranceClaims>>(claims: T, grant: Grant): T {
  const amr = mergeAmr(claims.amr ?? [], grant.amr);
  if (grant.acr === ACR.PHR) return { ...claims, amr, acr: ACR.PHR, phr_time: grant.authTime };
  return { ...claims, amr, reauth_time: grant.authTime };
}

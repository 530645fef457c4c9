import { createHash, timingSafeEqual } from "node:crypto";

/**
 * Transaction binding (PSD2 RTS Art. 5(1) dynamic linking): the passkey signs a challenge derived
 * from exactly what is being authorised, so the assertion is "specific to the amount and the payee",
 * and any change to them invalidates it.
 *
 *   payloadHash = SHA-256(canonical JSON of the intent)
 *   challenge   = SHA-256(nonce ‖ payloadHash)        (nonce: 32 fresh random bytes, single-use)
 */

/** JSON with sorted keys and no whitespace, so equal values always hash equally. Bigints as strings. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value === "boolean" || typeof value === "number") return JSON.stringify(value);
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "bigint") return JSON.stringify(value.toString());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  throw new TypeError(`canonicalJson: unsupported ${typeof value}`);
}

export const sha256 = (data: string | Uint8Array) => createHash("sha256").update(data).digest();

export const payloadHashOf = (canonicalPayload: string) => sha256(canonicalPayload).toString("hex");

/** The 32 bytes the authenticator signs for this intent. */
export function boundChallenge(nonce: Uint8Array, payloadHashHex: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(sha256(Buffer.concat([Buffer.from(nonce), Buffer.from(payloadHashHex, "hex")])));
}

/** Checks a challenge from clientDataJSON (base64url) against the one recomputed from the stored intent. */
export function challengeMatches(challengeB64url: string, nonce: Uint8Array, canonicalPayload: string): boolean {
  const expected = Buffer.from(boundChallenge(nonce, payloadHashOf(canonicalPayload)));
  const actual = Buffer.from(challengeB64url, "base64url");
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

import { createHash, timingSafeEqual } from "node:crypto";

/**
 * Transaction binding (PSD2 RTS Art. 5(1) dynamic linking): the passkey signs a challenge derived
 * from exactly what is being authorised, so the assertion is "specific to the amount and the payee",
 * and any change to them invalidates it.
 *
 *   payloadHash = SHA-256(canonical JSON of the intent)
 *   challenge   = nonce ‖ SHA-256(nonce ‖ payloadHash)   (nonce: 32 fresh random bytes, single-use)
 *
 * The nonce travels in the clear so the server can find the one live challenge it names (stored on
 * the intent, lib/assurance/intents.ts) in the same write that authorises the intent; the digest is
 * then recomputed from the intent as stored, so the assertion binds the payload itself.
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

export const NONCE_BYTES = 32;

/** The 64 bytes the authenticator signs for this intent: the nonce, then the digest binding it to the payload. */
export function boundChallenge(nonce: Uint8Array, payloadHashHex: string): Uint8Array<ArrayBuffer> {
  const digest = sha256(Buffer.concat([Buffer.from(nonce), Buffer.from(payloadHashHex, "hex")]));
  return new Uint8Array(Buffer.concat([Buffer.from(nonce), digest]));
}

/** The nonce a presented challenge (base64url, from clientDataJSON, not yet trusted) names, or null. */
export function nonceOf(challengeB64url: string): string | null {
  const bytes = Buffer.from(challengeB64url, "base64url");
  if (bytes.length !== NONCE_BYTES + 32 || bytes.toString("base64url") !== challengeB64url) return null;
  return bytes.subarray(0, NONCE_BYTES).toString("base64url");
}

/** Checks a challenge from clientDataJSON (base64url) against the one recomputed from the stored intent. */
export function challengeMatches(challengeB64url: string, nonce: Uint8Array, canonicalPayload: string): boolean {
  const expected = Buffer.from(boundChallenge(nonce, payloadHashOf(canonicalPayload)));
  const actual = Buffer.from(challengeB64url, "base64url");
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

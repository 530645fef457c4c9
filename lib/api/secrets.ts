import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/**
 * Vault's API credentials are random strings with a readable prefix (so a leaked one is easy to
 * recognise in logs and by secret scanners), stored only as SHA-256. A hash is enough: 256 random
 * bits can't be guessed, so there is nothing for a slow hash to protect (unlike a password).
 */
export const PREFIX = { client: "vlt_pat_", access: "vlt_at_", code: "vlt_code_" } as const;

export const newSecret = (kind: keyof typeof PREFIX) => `${PREFIX[kind]}${randomBytes(32).toString("base64url")}`;
export const newId = () => randomBytes(12).toString("base64url");
export const hashSecret = (secret: string) => createHash("sha256").update(secret, "utf8").digest("hex");

/** The shape of a credential of this kind; anything else is refused before any lookup. */
export const looksLike = (kind: keyof typeof PREFIX, value: unknown): value is string =>
  typeof value === "string" &&
  value.length === PREFIX[kind].length + 43 &&
  value.startsWith(PREFIX[kind]) &&
  /^[A-Za-z0-9_-]+$/.test(value.slice(PREFIX[kind].length));

/** RFC 7636 §4.6: BASE64URL(SHA256(code_verifier)) == code_challenge, compared in constant time. */
export function pkceMatches(verifier: unknown, challenge: string): boolean {
  if (typeof verifier !== "string" || !/^[A-Za-z0-9._~-]{43,128}$/.test(verifier)) return false;
  const computed = Buffer.from(createHash("sha256").update(verifier, "ascii").digest("base64url"));
  const expected = Buffer.from(challenge);
  return computed.length === expected.length && timingSafeEqual(computed, expected);
}

import "server-only";
import { createHmac, hkdfSync, randomFillSync, timingSafeEqual } from "node:crypto";
import { generateAuthenticationOptions, type PublicKeyCredentialRequestOptionsJSON } from "@simplewebauthn/server";
import { RateLimiterPrisma } from "rate-limiter-flexible";
import { getRequestContext, recordAudit } from "@/lib/audit/log";
import { passkeySignInClaims, type AssuranceClaims } from "@/lib/auth/claims";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { verifyAssertion } from "@/lib/webauthn/assertion";
import { challengeOfResponse } from "@/lib/webauthn/challenges";
import { CEREMONY_TIMEOUT_MS, CHALLENGE_TTL_MS, rp } from "@/lib/webauthn/config";

/**
 * Usernameless passkey sign-in (a discoverable credential, also offered through browser autofill).
 * allowCredentials stays empty so the authenticator offers whichever Vault passkeys it holds.
 *
 * Anyone may ask for sign-in options, so asking stores nothing: the challenge is self-contained,
 * 16 random bytes, its expiry, and an HMAC over both with a key derived from AUTH_SECRET. A flood of
 * requests therefore has nothing to fill, and can't make passkey sign-in "busy" for everyone else
 * (a shared cap on stored challenges could be filled by one anonymous client; issue 16, 10c).
 * A challenge is single-use all the same: the first response that presents it records it (the
 * unique challenge column), whatever the outcome, and the record is swept once the challenge expires.
 * Per client, options are also limited to 30 a minute where an address is known (TRUSTED_PROXY_HOPS;
 * OWASP ASVS 5 V2.4.1).
 */
const OPTIONS_PER_IP = { points: 30, durationS: 60 } as const;
const optionsPerIp = new RateLimiterPrisma({
  storeClient: db,
  tableName: "rateLimiterFlexible",
  keyPrefix: "signin-options-ip",
  points: OPTIONS_PER_IP.points,
  duration: OPTIONS_PER_IP.durationS,
  clearExpiredByTimeout: false,
});

const challengeKey = Buffer.from(hkdfSync("sha256", env.AUTH_SECRET, "", "vault/passkey-sign-in-challenge/v1", 32));
const NONCE_BYTES = 16;
const MAC_BYTES = 16;
const CHALLENGE_BYTES = NONCE_BYTES + 8 + MAC_BYTES;
const macOf = (nonceAndExpiry: Buffer) =>
  createHmac("sha256", challengeKey).update(nonceAndExpiry).digest().subarray(0, MAC_BYTES);

/** A sign-in challenge that expires at `expiresAt` (ms since the epoch); exported for the tests. */
export function mintSignInChallenge(expiresAt: number): Uint8Array<ArrayBuffer> {
  const body = Buffer.alloc(NONCE_BYTES + 8);
  randomFillSync(body, 0, NONCE_BYTES);
  body.writeBigUInt64BE(BigInt(expiresAt), NONCE_BYTES);
  return new Uint8Array(Buffer.concat([body, macOf(body)]));
}

/** When a challenge Vault issued expires, or null if Vault didn't issue it (or it has expired). */
function issuedChallengeExpiry(challenge: string, now = Date.now()): Date | null {
  const bytes = Buffer.from(challenge, "base64url");
  if (bytes.length !== CHALLENGE_BYTES || bytes.toString("base64url") !== challenge) return null;
  const body = bytes.subarray(0, NONCE_BYTES + 8);
  if (!timingSafeEqual(macOf(body), bytes.subarray(NONCE_BYTES + 8))) return null;
  const expiresAt = Number(body.readBigUInt64BE(NONCE_BYTES));
  return expiresAt > now ? new Date(expiresAt) : null;
}

export type SignInOptions =
  { ok: true; options: PublicKeyCredentialRequestOptionsJSON } | { ok: false; message: string };
const BUSY = "Too many sign-in attempts right now. Wait a minute, then try again.";

export async function beginPasskeySignIn(): Promise<SignInOptions> {
  const { ip } = await getRequestContext();
  if (ip) {
    try {
      await optionsPerIp.consume(ip);
    } catch (err) {
      if (err instanceof Error) throw err; // the database, not the limit: fail closed
      return { ok: false, message: BUSY };
    }
  }
  const options = await generateAuthenticationOptions({
    rpID: rp.id,
    userVerification: "required",
    timeout: CEREMONY_TIMEOUT_MS,
    challenge: mintSignInChallenge(Date.now() + CHALLENGE_TTL_MS),
  });
  return { ok: true, options };
}

/**
 * Uses up a sign-in challenge: true the first time a challenge Vault issued (and that hasn't expired)
 * is presented, false ever after. Expired records are swept here rather than piling up.
 */
async function takeSignInChallenge(challenge: string): Promise<boolean> {
  const expiresAt = issuedChallengeExpiry(challenge);
  if (!expiresAt) return false;
  await db.webAuthnChallenge.deleteMany({ where: { purpose: "SIGN_IN", expiresAt: { lte: new Date() } } });
  try {
    await db.webAuthnChallenge.create({ data: { userId: null, purpose: "SIGN_IN", challenge, expiresAt } });
    return true;
  } catch (err) {
    if ((err as { code?: string } | null)?.code === "P2002") return false; // used before: a replay
    throw err;
  }
}

export type PasskeySignInUser = { id: string; email: string; name: string; claims: AssuranceClaims };

/** Largest response Vault will parse: real assertions are well under 4 kB. */
const MAX_RESPONSE_LENGTH = 16_384;

/**
 * Verifies a sign-in assertion (called by the Auth.js "passkey" Credentials provider). The challenge
 * must be one Vault issued for sign-in and is consumed whatever the outcome; UV is required; the
 * credential must be registered, and the authenticator's user handle must name its owner. The
 * session's claims come from the verified flags (lib/auth/claims.ts, passkeySignInClaims).
 */
export async function verifyPasskeySignIn(rawResponse: unknown): Promise<PasskeySignInUser | null> {
  const fail = async (reason: string, userId: string | null = null) => {
    await recordAudit({ userId, action: "auth.sign_in", outcome: "FAILURE", reason, metadata: { method: "passkey" } });
    return null;
  };
  if (typeof rawResponse !== "string" || rawResponse.length > MAX_RESPONSE_LENGTH) return fail("malformed_response");
  let response: unknown;
  try {
    response = JSON.parse(rawResponse);
  } catch {
    return fail("malformed_response");
  }
  const claimed = challengeOfResponse((response ?? {}) as { response?: { clientDataJSON?: unknown } });
  if (!claimed) return fail("malformed_response");
  if (!(await takeSignInChallenge(claimed))) return fail("no_pending_challenge");

  const verified = await verifyAssertion(response, (c) => c === claimed);
  if (!verified.ok) return fail(verified.reason);
  // A discoverable credential must return its user handle (WebAuthn L3 §7.2 step 6), and it must name the owner.
  const userHandle = (response as { response?: { userHandle?: unknown } }).response?.userHandle;
  if (typeof userHandle !== "string" || Buffer.from(userHandle, "base64url").toString("utf8") !== verified.userId) {
    return fail("user_handle_mismatch", verified.userId);
  }
  const user = await db.user.findUnique({
    where: { id: verified.userId },
    select: { id: true, email: true, name: true },
  });
  if (!user) return fail("unknown_user");
  await recordAudit({
    userId: user.id,
    action: "auth.sign_in",
    outcome: "SUCCESS",
    metadata: { method: "passkey", passkey: verified.nickname },
  });
  return { ...user, claims: passkeySignInClaims(verified.flags) };
}

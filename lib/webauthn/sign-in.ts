import "server-only";
import { randomBytes } from "node:crypto";
import { generateAuthenticationOptions, type PublicKeyCredentialRequestOptionsJSON } from "@simplewebauthn/server";
import { RateLimiterPrisma } from "rate-limiter-flexible";
import { getRequestContext, recordAudit } from "@/lib/audit/log";
import { passkeySignInClaims, type AssuranceClaims } from "@/lib/auth/claims";
import { db } from "@/lib/db";
import { verifyAssertion } from "@/lib/webauthn/assertion";
import { challengeOfResponse, storeChallenge, takeChallenge } from "@/lib/webauthn/challenges";
import { CEREMONY_TIMEOUT_MS, rp } from "@/lib/webauthn/config";

/**
 * Usernameless passkey sign-in (a discoverable credential, also offered through browser autofill).
 * The challenge is stored server-side with no user (nobody is known yet), used once, and expires.
 * allowCredentials stays empty so the authenticator offers whichever Vault passkeys it holds.
 */
/**
 * Anyone may ask for sign-in options, and each one stores a challenge, so they are bounded: 30 a
 * minute per client address (when a load balancer says which), and at most 10,000 live at once in
 * total (each lives 2 minutes), so a flood can't fill the database (OWASP ASVS 5 V2.4.1).
 */
const OPTIONS_PER_IP = { points: 30, durationS: 60 } as const;
export const MAX_LIVE_SIGN_IN_CHALLENGES = 10_000;
const optionsPerIp = new RateLimiterPrisma({
  storeClient: db,
  tableName: "rateLimiterFlexible",
  keyPrefix: "signin-options-ip",
  points: OPTIONS_PER_IP.points,
  duration: OPTIONS_PER_IP.durationS,
  clearExpiredByTimeout: false,
});

export type SignInOptions = { ok: true; options: PublicKeyCredentialRequestOptionsJSON } | { ok: false; message: string };
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
  // Expired anonymous challenges are swept here rather than piling up.
  await db.webAuthnChallenge.deleteMany({ where: { purpose: "SIGN_IN", expiresAt: { lte: new Date() } } });
  if ((await db.webAuthnChallenge.count({ where: { purpose: "SIGN_IN" } })) >= MAX_LIVE_SIGN_IN_CHALLENGES) {
    await recordAudit({ userId: null, action: "auth.sign_in", outcome: "DENIED", reason: "too_many_live_challenges", metadata: { method: "passkey" } });
    return { ok: false, message: BUSY };
  }
  const options = await generateAuthenticationOptions({
    rpID: rp.id,
    userVerification: "required",
    timeout: CEREMONY_TIMEOUT_MS,
    challenge: new Uint8Array(randomBytes(32)),
  });
  await storeChallenge({ userId: null, purpose: "SIGN_IN", challenge: options.challenge });
  return { ok: true, options };
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
  const challenge = await takeChallenge({ userId: null, purpose: "SIGN_IN", challenge: claimed });
  if (!challenge) return fail("no_pending_challenge");

  const verified = await verifyAssertion(response, (c) => c === challenge.challenge);
  if (!verified.ok) return fail(verified.reason);
  // A discoverable credential must return its user handle (WebAuthn L3 §7.2 step 6), and it must name the owner.
  const userHandle = (response as { response?: { userHandle?: unknown } }).response?.userHandle;
  if (typeof userHandle !== "string" || Buffer.from(userHandle, "base64url").toString("utf8") !== verified.userId) {
    return fail("user_handle_mismatch", verified.userId);
  }
  const user = await db.user.findUnique({ where: { id: verified.userId }, select: { id: true, email: true, name: true } });
  if (!user) return fail("unknown_user");
  await recordAudit({ userId: user.id, action: "auth.sign_in", outcome: "SUCCESS", metadata: { method: "passkey", passkey: verified.nickname } });
  return { ...user, claims: passkeySignInClaims(verified.flags) };
}

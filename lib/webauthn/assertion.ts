import "server-only";
import { verifyAuthenticationResponse, type AuthenticationResponseJSON } from "@simplewebauthn/server";
import { z } from "zod";
import type { AssertionFlags } from "@/lib/auth/claims";
import { db, type Tx } from "@/lib/db";
import { rp } from "@/lib/webauthn/config";

/** The shape of an AuthenticationResponseJSON, checked before anything else reads it. */
export const assertionSchema = z.object({
  id: z.string().min(1).max(1024),
  rawId: z.string().min(1).max(1024),
  type: z.literal("public-key"),
  response: z.object({
    clientDataJSON: z.string().max(4096),
    authenticatorData: z.string().max(4096),
    signature: z.string().max(4096),
    userHandle: z.string().max(1024).optional(),
  }),
  clientExtensionResults: z.record(z.string(), z.unknown()).default({}),
  authenticatorAttachment: z.string().max(32).optional(),
});

export type VerifiedAssertion = {
  passkeyId: string;
  userId: string;
  flags: AssertionFlags;
  nickname: string;
  enrolledAt: Date;
  /** What the assertion says about its passkey now, for recordPasskeyUse. */
  use: { counter: bigint; backedUp: boolean; deviceType: string };
};
export type AssertionFailure = { ok: false; reason: string };

/**
 * Verifies a WebAuthn assertion: the credential must exist (and belong to `expectUserId` when given),
 * the challenge must match, the origin must be one of ours, the rpID ours, and UV must be set
 * (NIST SP 800-63B-4 Appendix B: no UV means single-factor). The counter and flags are stored.
 */
export async function verifyAssertion(
  raw: unknown,
  expectedChallenge: (challenge: string) => boolean,
  expectUserId?: string,
): Promise<({ ok: true } & VerifiedAssertion) | AssertionFailure> {
  const verified = await checkAssertion(raw, expectedChallenge, expectUserId);
  if (verified.ok) await recordPasskeyUse(db, verified);
  return verified;
}

/** Stores what a verified assertion says about its passkey: the signature counter, flags and last use. */
export async function recordPasskeyUse(client: Tx | typeof db, verified: VerifiedAssertion): Promise<void> {
  await client.passkey.update({
    where: { id: verified.passkeyId },
    data: { ...verified.use, lastUsedAt: new Date() },
  });
}

/**
 * verifyAssertion without the write: for a caller that records the use in the transaction its
 * success commits in (a step-up, lib/assurance/step-up.ts), so a refused step-up stores nothing.
 */
export async function checkAssertion(
  raw: unknown,
  expectedChallenge: (challenge: string) => boolean,
  expectUserId?: string,
  /** "payment.get" for a Secure Payment Confirmation (lib/assurance/spc.ts); else a plain WebAuthn get. */
  expectedType: "webauthn.get" | "payment.get" = "webauthn.get",
): Promise<({ ok: true } & VerifiedAssertion) | AssertionFailure> {
  const parsed = assertionSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, reason: "malformed_response" };
  const response = parsed.data as AuthenticationResponseJSON;
  const passkey = await db.passkey.findUnique({ where: { id: response.id } });
  if (!passkey) return { ok: false, reason: "unknown_credential" };
  if (expectUserId && passkey.userId !== expectUserId) return { ok: false, reason: "credential_of_another_user" };
  try {
    const { verified, authenticationInfo } = await verifyAuthenticationResponse({
      response,
      expectedChallenge,
      expectedOrigin: [...rp.origins],
      expectedRPID: rp.id,
      expectedType,
      credential: {
        id: passkey.id,
        publicKey: new Uint8Array(passkey.publicKey),
        counter: Number(passkey.counter),
        transports: passkey.transports ? (passkey.transports.split(",") as never) : undefined,
      },
      requireUserVerification: true,
    });
    if (!verified || !authenticationInfo.userVerified) return { ok: false, reason: "not_verified" };
    return {
      ok: true,
      passkeyId: passkey.id,
      userId: passkey.userId,
      nickname: passkey.nickname,
      enrolledAt: passkey.createdAt,
      flags: { userVerified: authenticationInfo.userVerified, deviceType: authenticationInfo.credentialDeviceType },
      use: {
        counter: BigInt(authenticationInfo.newCounter),
        backedUp: authenticationInfo.credentialBackedUp,
        deviceType: authenticationInfo.credentialDeviceType,
      },
    };
  } catch (err) {
    // SimpleWebAuthn explains what failed (origin, challenge, counter, UV): keep it for the audit.
    const message = err instanceof Error ? err.message : String(err);
    return { ok: false, reason: message.slice(0, 200) };
  }
}

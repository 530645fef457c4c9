import "server-only";
import { notify } from "@/lib/notify/messages";
import { ensureDeviceId, rememberDevice } from "@/lib/risk/device";
import { refuseIfFrozen } from "@/lib/auth/freeze";
import {
  generateRegistrationOptions,
  verifyRegistrationResponse,
  type PublicKeyCredentialCreationOptionsJSON,
  type RegistrationResponseJSON,
} from "@simplewebauthn/server";
import { z } from "zod";
import { evaluatePolicy } from "@/lib/assurance/evaluate";
import { StepUpRequired } from "@/lib/assurance/guard";
import type { Actor } from "@/lib/assurance/operation";
import { perform } from "@/lib/assurance/pipeline";
import { POLICIES } from "@/lib/assurance/policy";
import { recoveryHoldOf } from "@/lib/assurance/recovery-hold";
import { recordAudit } from "@/lib/audit/log";
import { ACR, epochSeconds } from "@/lib/auth/claims";
import { verifyPasswordAgain } from "@/lib/auth/reauth";
import { makeRecoveryCodes } from "@/lib/auth/recovery-codes";
import { raiseSessionClaims } from "@/lib/auth/raise-claims";
import { requireUser } from "@/lib/auth/current-user";
import { ssoStepUpFor } from "@/lib/auth/sso";
import { db } from "@/lib/db";
import { DomainError, parseInput } from "@/lib/errors";
import { nicknameSchema, passkeyAdd, passkeyRemove } from "@/lib/webauthn/passkeys";
import { storeChallenge, takeChallenge } from "@/lib/webauthn/challenges";
import { CEREMONY_TIMEOUT_MS, rp } from "@/lib/webauthn/config";

/**
 * Password re-entry for the bootstrapping rule: records reauth_time on the session through a
 * single-use grant. It proves the password, nothing more (acr stays AAL1).
 */
export async function reauthenticateWithPassword(
  password: unknown,
): Promise<{ ok: true } | { ok: false; message: string }> {
  const user = await requireUser();
  const checked = await verifyPasswordAgain(user.id, password, "auth.reauth");
  if (!checked.ok) return checked;
  await recordAudit({ userId: user.id, action: "auth.reauth", outcome: "SUCCESS", metadata: { method: "password" } });
  await raiseSessionClaims(user, { amr: ["pwd"], acr: ACR.AAL1, authTime: epochSeconds() });
  return { ok: true };
}

export type RegistrationStart =
  | { status: "ready"; options: PublicKeyCredentialCreationOptionsJSON }
  | { status: "needs_password" }
  | { status: "needs_step_up"; intentId: string };

/**
 * The bootstrapping rule, so a stolen session can't enrol its own passkey and then pass step-up:
 * the first passkey needs the password re-entered within 5 minutes; any further one needs a passkey
 * step-up within 5 minutes (policy "passkey.add"; OWASP ASVS 5 V7.5.1), or, for an SSO customer
 * without one, a step-up at the IdP.
 */
async function checkMayEnrol(actor: Actor, createIntent: boolean): Promise<RegistrationStart | null> {
  // An SSO customer with no passkey (and no password) confirms at the IdP instead: a step-up like any other.
  const hasPasskey =
    (await db.passkey.count({ where: { userId: actor.id } })) > 0 || (await ssoStepUpFor(actor.id)) !== null;
  if (!hasPasskey) {
    const decision = evaluatePolicy(POLICIES["passkey.add"], actor.claims, { hasPasskey }, epochSeconds());
    await recordAudit({
      userId: actor.id,
      action: "assurance.decision",
      outcome: decision.outcome === "allowed" ? "SUCCESS" : "STEP_UP_REQUIRED",
      reason: decision.reason,
      metadata: { policy: "passkey.add" },
    });
    return decision.outcome === "allowed" ? null : { status: "needs_password" };
  }
  if (!createIntent) {
    const decision = evaluatePolicy(POLICIES["passkey.add"], actor.claims, { hasPasskey }, epochSeconds());
    if (decision.outcome !== "allowed")
      throw new DomainError("step_up_required", "Confirm with your passkey first, then add the new one.");
    return null;
  }
  try {
    await perform(passkeyAdd, actor, {});
    return null;
  } catch (err) {
    if (err instanceof StepUpRequired) return { status: "needs_step_up", intentId: err.intentId };
    throw err;
  }
}

/**
 * `payment`: the browser has Secure Payment Confirmation (the page asked it), so the passkey is made
 * with the SPC "payment" extension (W3C SPC §5.1), which needs a platform authenticator, and can then
 * confirm payments in the browser's own dialog (lib/assurance/spc.ts). `replacing`: the customer's
 * passkey this one upgrades; it isn't excluded, so the same device can make its successor.
 */
export async function startPasskeyRegistration(
  how: { payment?: unknown; replacing?: unknown } = {},
): Promise<RegistrationStart> {
  const user = await requireUser();
  await refuseIfFrozen(db, user.id);
  const blocked = await checkMayEnrol(user, true);
  if (blocked) return blocked;
  const payment = how.payment === true;
  const existing = await db.passkey.findMany({ where: { userId: user.id }, select: { id: true, transports: true } });
  const excluded = existing.filter((p) => !(payment && p.id === how.replacing));
  const options = await generateRegistrationOptions({
    rpName: rp.name,
    rpID: rp.id,
    userName: user.email,
    userDisplayName: user.name,
    userID: new TextEncoder().encode(user.id),
    attestationType: "none",
    timeout: CEREMONY_TIMEOUT_MS,
    // One passkey per authenticator: the browser refuses to register a second on the same device.
    excludeCredentials: excluded.map((p) => ({
      id: p.id,
      transports: p.transports ? (p.transports.split(",") as never) : undefined,
    })),
    authenticatorSelection: {
      residentKey: "required",
      userVerification: "required",
      ...(payment ? { authenticatorAttachment: "platform" as const } : {}),
    },
  });
  await storeChallenge({ userId: user.id, purpose: "REGISTER", challenge: options.challenge, payment });
  // SimpleWebAuthn passes extensions it doesn't type straight through to the browser.
  return payment
    ? {
        status: "ready",
        options: { ...options, extensions: { ...options.extensions, payment: { isPayment: true } } as never },
      }
    : { status: "ready", options };
}

/**
 * The new passkey, recovery codes to show once when this enrolment issued them, and, for an upgrade
 * (`replacing`), whether the passkey it replaces was removed (under its own policy, "passkey.remove").
 */
export async function finishPasskeyRegistration(
  response: unknown,
  nickname: unknown,
  replacing?: unknown,
): Promise<{ id: string; recoveryCodes: string[] | null; replaced: boolean }> {
  const user = await requireUser();
  await checkMayEnrol(user, false).then((blocked) => {
    if (blocked) throw new DomainError("step_up_required", "Confirm your password first, then add the passkey.");
  });
  const name = parseInput(z.object({ nickname: nicknameSchema }), { nickname }).nickname;
  const challenge = await takeChallenge({ userId: user.id, purpose: "REGISTER" });
  if (!challenge) throw new DomainError("no_challenge", "That took too long. Please try again.");
  let verification;
  try {
    verification = await verifyRegistrationResponse({
      response: response as RegistrationResponseJSON,
      expectedChallenge: challenge.challenge,
      expectedOrigin: [...rp.origins],
      expectedRPID: rp.id,
      requireUserVerification: true,
    });
  } catch (err) {
    await recordAudit({
      userId: user.id,
      action: "passkey.add",
      outcome: "FAILURE",
      reason: err instanceof Error ? err.message.slice(0, 200) : "invalid",
    });
    throw new DomainError("registration_failed", "That passkey couldn't be registered. Please try again.");
  }
  if (!verification.verified)
    throw new DomainError("registration_failed", "That passkey couldn't be registered. Please try again.");
  const { credential, credentialDeviceType, credentialBackedUp, aaguid } = verification.registrationInfo;
  // The first passkey (or any, once no unused recovery code is left) comes with recovery codes; but
  // not during a recovery cooling-off, which holds making new codes (policy "recovery.regenerate"):
  // whoever used the last code may not be the customer. They can make new ones when it ends.
  const [unusedCodes, hold] = await Promise.all([
    db.recoveryCode.count({ where: { userId: user.id, usedAt: null } }),
    recoveryHoldOf(user.id),
  ]);
  const recovery = unusedCodes === 0 && !hold ? await makeRecoveryCodes() : null;
  // The passkey was just made on this browser: it is a known device for the risk signals (lib/risk),
  // except during a recovery cooling-off, when whoever enrols may not be the customer.
  const deviceId = hold ? null : await ensureDeviceId();
  const passkey = await db
    .$transaction(async (tx) => {
      // A freeze refuses new passkeys, checked in the transaction that would add one (lib/auth/freeze.ts).
      await refuseIfFrozen(tx, user.id);
      const created = await tx.passkey.create({
        data: {
          id: credential.id,
          userId: user.id,
          publicKey: new Uint8Array(credential.publicKey),
          counter: BigInt(credential.counter),
          transports: (credential.transports ?? []).join(","),
          deviceType: credentialDeviceType,
          backedUp: credentialBackedUp,
          aaguid,
          nickname: name,
          payment: challenge.payment,
        },
      });
      await recordAudit(
        {
          userId: user.id,
          action: "passkey.add",
          outcome: "SUCCESS",
          metadata: { nickname: name, synced: credentialDeviceType === "multiDevice", payment: challenge.payment },
        },
        tx,
      );
      if (recovery) {
        await recovery.store(tx, user.id, "passkey_enrolled");
      }
      if (deviceId) await rememberDevice(tx, user.id, deviceId, user.context?.userAgent ?? null);
      await notify(tx, user.id, "passkey.added", { name });
      return created;
    })
    .catch(async (err: unknown) => {
      // The credential id is already registered (a crafted response reusing one): nothing changes.
      if ((err as { code?: string } | null)?.code !== "P2002") throw err;
      await recordAudit({
        userId: user.id,
        action: "passkey.add",
        outcome: "FAILURE",
        reason: "credential_already_registered",
      });
      throw new DomainError("registration_failed", "That passkey is already registered.");
    });
  return {
    id: passkey.id,
    recoveryCodes: recovery?.codes ?? null,
    replaced: challenge.payment && typeof replacing === "string" && (await removeReplaced(user, replacing)),
  };
}

/**
 * An upgrade's old passkey goes as any removal does: through the pipeline, under "passkey.remove"
 * (the step-up that allowed the new one usually covers it). Kept, and false, when the policy asks for
 * another confirmation or it is already gone: the customer can remove it from the list.
 */
async function removeReplaced(user: Actor, passkeyId: string): Promise<boolean> {
  try {
    await perform(passkeyRemove, user, { passkeyId });
    return true;
  } catch (err) {
    if (err instanceof StepUpRequired || err instanceof DomainError) return false;
    throw err;
  }
}

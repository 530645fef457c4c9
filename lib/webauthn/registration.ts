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
import { nicknameSchema, passkeyAdd } from "@/lib/webauthn/passkeys";
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

export async function startPasskeyRegistration(): Promise<RegistrationStart> {
  const user = await requireUser();
  await refuseIfFrozen(db, user.id);
  const blocked = await checkMayEnrol(user, true);
  if (blocked) return blocked;
  const existing = await db.passkey.findMany({ where: { userId: user.id }, select: { id: true, transports: true } });
  const options = await generateRegistrationOptions({
    rpName: rp.name,
    rpID: rp.id,
    userName: user.email,
    userDisplayName: user.name,
    userID: new TextEncoder().encode(user.id),
    attestationType: "none",
    timeout: CEREMONY_TIMEOUT_MS,
    // One passkey per authenticator: the browser refuses to register a second on the same device.
    excludeCredentials: existing.map((p) => ({
      id: p.id,
      transports: p.transports ? (p.transports.split(",") as never) : undefined,
    })),
    authenticatorSelection: { residentKey: "required", userVerification: "required" },
  });
  await storeChallenge({ userId: user.id, purpose: "REGISTER", challenge: options.challenge });
  return { status: "ready", options };
}

/** The new passkey, and recovery codes to show once when this enrolment issued them. */
export async function finishPasskeyRegistration(
  response: unknown,
  nickname: unknown,
): Promise<{ id: string; recoveryCodes: string[] | null }> {
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
        },
      });
      await recordAudit(
        {
          userId: user.id,
          action: "passkey.add",
          outcome: "SUCCESS",
          metadata: { nickname: name, synced: credentialDeviceType === "multiDevice" },
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
  return { id: passkey.id, recoveryCodes: recovery?.codes ?? null };
}

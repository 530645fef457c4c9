import "server-only";
import { randomBytes } from "node:crypto";
import { generateAuthenticationOptions, type PublicKeyCredentialRequestOptionsJSON } from "@simplewebauthn/server";
import { recordAudit } from "@/lib/audit/log";
import { ACR, epochSeconds, passkeyAmr, type Grant } from "@/lib/auth/claims";
import { raiseSessionClaims } from "@/lib/auth/raise-claims";
import { requireUser, type SessionUser } from "@/lib/auth/current-user";
import { boundChallenge, challengeMatches, payloadHashOf } from "@/lib/assurance/binding";
import type { IntentDescription } from "@/lib/assurance/operation";
import { describeIntent, operationOf, resumeIntent } from "@/lib/assurance/pipeline";
import { authoriseIntent, cancelIntent, findIntent, recordFailedAttempt, type Intent } from "@/lib/assurance/intents";
import { LOCKOUT, lockedMessage, stepUpLockout, type LockoutState } from "@/lib/assurance/lockout";
import { requirementOf, type Requirement } from "@/lib/assurance/evaluate";
import { POLICIES, type Policy } from "@/lib/assurance/policy";
import {
  cancelledByRecoveryMessage,
  confirmerKey,
  enrolledDuringHoldMessage,
  heldMessage,
  mayConfirmDuringHold,
  recoveryHoldOf,
  type Confirmer,
} from "@/lib/assurance/recovery-hold";
import { db } from "@/lib/db";
import { DomainError } from "@/lib/errors";
import { requestTimeZone } from "@/lib/request-time-zone";
import { verifyAssertion } from "@/lib/webauthn/assertion";
import { storeChallenge, takeChallenge } from "@/lib/webauthn/challenges";
import { CEREMONY_TIMEOUT_MS, CHALLENGE_TTL_MS, rp } from "@/lib/webauthn/config";

export type StepUpView = {
  intent: Pick<Intent, "id" | "action" | "status" | "expiresAt" | "cancelReason">;
  description: IntentDescription;
  /** RFC 9470 §3 / OIDC Core §3.1.2.1 terms: what this step-up must achieve. */
  requirement: Requirement;
  reason: string;
  passkeys: { nickname: string; lastUsedAt: Date | null }[];
  lockout: LockoutState;
  /** A used intent: the operation's confirmation and where its result is (none for a shown-once result). */
  done: { message: string; location: string | null; label: string } | null;
  /** Confirmed, but a rule refused the operation when it ran (e.g. the balance changed meanwhile): why. */
  failed: string | null;
};

/** Everything the step-up page shows. Null for an intent that isn't this user's and session's. */
export async function getStepUpView(intentId: unknown): Promise<StepUpView | null> {
  const user = await requireUser();
  const intent = await findIntent(user, intentId);
  if (!intent) return null;
  const policy: Policy = POLICIES[intent.action];
  if (!policy.acr) return null; // the guard only stores intents for policies that ask for step-up
  const [passkeys, lockout, hold] = await Promise.all([
    db.passkey.findMany({
      where: { userId: user.id },
      select: { nickname: true, lastUsedAt: true },
      orderBy: { createdAt: "asc" },
    }),
    stepUpLockout.get(user.id),
    recoveryHoldOf(user.id),
  ]);
  // During a recovery cooling-off, boundAfterRecovery policies are bound (lib/assurance/evaluate.ts).
  const bound = policy.bound || (hold !== null && policy.boundAfterRecovery === true);
  return {
    intent: {
      id: intent.id,
      action: intent.action,
      status: intent.status,
      expiresAt: intent.expiresAt,
      cancelReason: intent.cancelReason,
    },
    description: describeIntent(intent.action, intent.payload),
    requirement: requirementOf({ ...policy, acr: policy.acr, bound }),
    reason: policy.label,
    passkeys,
    lockout,
    done: intent.status === "CONSUMED" ? doneOf(intent) : null,
    failed:
      intent.status === "CANCELLED" && intent.cancelReason?.startsWith("failed:")
        ? (intent.result?.failed ?? null)
        : null,
  };
}

function doneOf(intent: Intent): StepUpView["done"] {
  const op = operationOf(intent.action);
  const location = op.resume.kind === "run" && intent.result?.location?.startsWith("/") ? intent.result.location : null;
  return { message: op.success, location, label: op.resume.kind === "run" ? op.resume.label : "" };
}

export type BeginResult =
  | { ok: true; options: PublicKeyCredentialRequestOptionsJSON }
  | { ok: false; code: "not_found" | "expired" | "used" | "locked" | "no_passkey"; message: string };

/** Why an intent can't be confirmed now, or null when it is pending. Touching an expired one is audited. */
async function notPending(userId: string, intent: Intent | null): Promise<Extract<BeginResult, { ok: false }> | null> {
  if (!intent) return { ok: false, code: "not_found", message: "This confirmation was not found." };
  if (intent.status === "EXPIRED") {
    await recordAudit({
      userId,
      action: "step_up.expired",
      outcome: "DENIED",
      reason: "intent_expired",
      metadata: { intentId: intent.id, policy: intent.action },
    });
    return {
      ok: false,
      code: "expired",
      message:
        "This confirmation expired: for your safety it lasts only a few minutes. Nothing was sent or changed. Please start again.",
    };
  }
  if (intent.status === "CANCELLED" && intent.cancelReason === "recovery_sign_in")
    return { ok: false, code: "used", message: cancelledByRecoveryMessage };
  if (intent.status !== "PENDING")
    return { ok: false, code: "used", message: "This confirmation was already completed or cancelled." };
  return null;
}
/** The user's pending intent, if it can be confirmed now (it is theirs, pending, and they aren't locked out): by a passkey or the IdP. */
export async function confirmable(
  user: SessionUser,
  intentId: unknown,
): Promise<{ ok: true; intent: Intent; lockout: LockoutState } | Extract<BeginResult, { ok: false }>> {
  const intent = await findIntent(user, intentId);
  const problem = await notPending(user.id, intent);
  if (problem || !intent) return problem!;
  const lockout = await stepUpLockout.get(user.id);
  if (lockout.locked) return { ok: false, code: "locked", message: lockedMessage(lockout) };
  return { ok: true, intent, lockout };
}

/**
 * Starts the passkey ceremony for an intent. The challenge is H(nonce ‖ H(intent)), so the assertion
 * can only ever authorise this intent (PSD2 RTS Art. 5(1)); allowCredentials lists only this
 * user's passkeys, and UV is required.
 */
export async function beginStepUp(intentId: unknown): Promise<BeginResult> {
  return beginStepUpFor(await requireUser(), intentId);
}

/** beginStepUp for a user already authenticated by the caller (the bench and the integration tests). */
export async function beginStepUpFor(user: SessionUser, intentId: unknown): Promise<BeginResult> {
  const ready = await confirmable(user, intentId);
  if (!ready.ok) return ready;
  const { intent } = ready;
  const passkeys = await db.passkey.findMany({ where: { userId: user.id }, select: { id: true, transports: true } });
  if (passkeys.length === 0) return { ok: false, code: "no_passkey", message: "Add a passkey first." };

  const nonce = randomBytes(32);
  await storeChallenge({
    userId: user.id,
    purpose: "AUTHENTICATE",
    challenge: nonce.toString("base64url"),
    intentId: intent.id,
    ttlMs: Math.min(CHALLENGE_TTL_MS, intent.expiresAt.getTime() - Date.now()),
  });
  const options = await generateAuthenticationOptions({
    rpID: rp.id,
    allowCredentials: passkeys.map((p) => ({
      id: p.id,
      transports: p.transports ? (p.transports.split(",") as never) : undefined,
    })),
    userVerification: "required",
    timeout: CEREMONY_TIMEOUT_MS,
    challenge: boundChallenge(nonce, payloadHashOf(intent.canonical)),
  });
  return { ok: true, options };
}

export type CompleteResult =
  /** `message`: the operation's own confirmation, for the toast on the page it resumes to. */
  | { ok: true; redirectTo: string; action: Intent["action"]; message: string }
  | {
      ok: false;
      code: "not_found" | "expired" | "used" | "locked" | "no_passkey" | "failed" | "held" | "operation_failed";
      message: string;
      failures?: number;
      warn?: boolean;
    };

/**
 * Verifies the assertion against a challenge recomputed from the intent as stored now (so a changed
 * intent fails), authorises the intent (once), raises the session's claims through a single-use
 * grant, and resumes the original operation from the stored intent.
 */
export async function completeStepUp(intentId: unknown, response: unknown): Promise<CompleteResult> {
  return completeStepUpFor(await requireUser(), intentId, response);
}

/** How a successful step-up upgrades the session; the default sets the new session cookie on this response. */
export type RaiseClaims = (user: SessionUser, grant: Grant) => Promise<void>;

/**
 * completeStepUp for a user already authenticated by the caller. `raise` is where the upgraded claims
 * go: the session cookie in the app; the bench and the integration tests, which have no response to
 * set a cookie on, pass one that mints and consumes the grant the same way (lib/auth/grants.ts).
 * `then` runs once the intent is authorised and returns where to go: by default the operation
 * resumes; an API client's intent instead gets an authorization code (lib/api/authorize.ts).
 */
export async function completeStepUpFor(
  user: SessionUser,
  intentId: unknown,
  response: unknown,
  raise: RaiseClaims = raiseSessionClaims,
  then: (user: SessionUser, intent: Intent) => Promise<string> = resumeIntent,
): Promise<CompleteResult> {
  const ready = await confirmable(user, intentId);
  if (!ready.ok) return ready;
  const { intent } = ready;

  // The attempt's point is taken before the assertion is verified, so racing completions can't all
  // be evaluated before the first failure is counted (PSD2 RTS Art. 4(3)(b)).
  const taken = await stepUpLockout.take(user.id);
  if (!taken.ok) return { ok: false, code: "locked", message: lockedMessage(taken.state) };
  const challengeRow = await takeChallenge({ userId: user.id, purpose: "AUTHENTICATE", intentId: intent.id });
  if (!challengeRow) {
    await taken.ticket.refund(); // nothing was verified
    await recordAudit({
      userId: user.id,
      action: "step_up.verify",
      outcome: "FAILURE",
      reason: "no_pending_challenge",
      metadata: { intentId: intent.id },
    });
    return { ok: false, code: "failed", message: "That confirmation was already used or timed out. Try again." };
  }
  const nonce = Buffer.from(challengeRow.challenge, "base64url");
  const verified = await verifyAssertion(
    response,
    (challenge) => challengeMatches(challenge, nonce, intent.canonical),
    user.id,
  );

  if (!verified.ok) {
    await recordFailedAttempt(intent.id);
    const state = taken.ticket.failed();
    await recordAudit({
      userId: user.id,
      action: "step_up.verify",
      outcome: "FAILURE",
      reason: verified.reason,
      metadata: { intentId: intent.id, failures: state.failures },
    });
    if (state.locked) {
      await recordAudit({
        userId: user.id,
        action: "step_up.locked",
        outcome: "DENIED",
        reason: "too_many_failures",
        metadata: { minutes: LOCKOUT.blockS / 60 },
      });
      return { ok: false, code: "locked", message: lockedMessage(state), failures: state.failures };
    }
    const left = LOCKOUT.maxFailures - state.failures;
    return {
      ok: false,
      code: "failed",
      message:
        state.failures >= LOCKOUT.warnAfter
          ? `Your passkey wasn't accepted. ${left} attempt${left === 1 ? "" : "s"} left before confirmation is paused for 15 minutes.`
          : "Your passkey wasn't accepted. Try again, or use another passkey.",
      failures: state.failures,
      warn: state.failures >= LOCKOUT.warnAfter,
    };
  }

  await taken.ticket.succeeded(); // a verified passkey ends the run of failures

  return authoriseAndResume(
    user,
    intent,
    {
      amr: passkeyAmr(verified.flags),
      confirmer: { kind: "passkey", passkeyId: verified.passkeyId },
      audit: { passkey: verified.nickname },
    },
    raise,
    then,
  );
}

/**
 * After a verified second factor (a passkey assertion, or the IdP's answer to a step-up request):
 * the intent is authorised, the session's claims raised, the success audited, and the operation
 * resumed. Shared, so every factor ends the same way.
 */
export async function authoriseAndResume(
  user: SessionUser,
  intent: Intent,
  factor: { amr: string[]; confirmer: Confirmer; audit: Record<string, string> },
  raise: RaiseClaims = raiseSessionClaims,
  then: (user: SessionUser, intent: Intent) => Promise<string> = resumeIntent,
): Promise<CompleteResult> {
  // The recovery cooling-off, checked before anything is authorised, so the customer hears the real
  // reason (the guard checks it again when the operation runs, on every channel).
  const policy: Policy = POLICIES[intent.action];
  const hold = policy.heldAfterRecovery || policy.boundAfterRecovery ? await recoveryHoldOf(user.id) : null;
  if (hold && policy.heldAfterRecovery) {
    await cancelIntent(user, intent.id, "recovery_sign_in");
    await recordAudit({
      userId: user.id,
      action: "step_up.verify",
      outcome: "DENIED",
      reason: "recovery_cooling_off",
      metadata: { intentId: intent.id, policy: intent.action },
    });
    return { ok: false, code: "held", message: heldMessage(hold.until, await requestTimeZone()) };
  }
  if (hold && !(await mayConfirmDuringHold(user.id, factor.confirmer, hold))) {
    await recordAudit({
      userId: user.id,
      action: "step_up.verify",
      outcome: "DENIED",
      reason: "passkey_enrolled_during_cooling_off",
      metadata: { intentId: intent.id, policy: intent.action, ...factor.audit },
    });
    return { ok: false, code: "failed", message: enrolledDuringHoldMessage(hold.until, await requestTimeZone()) };
  }
  if (!(await authoriseIntent(user, intent.id, intent.canonical, confirmerKey(factor.confirmer)))) {
    return { ok: false, code: "used", message: "This confirmation was already completed, cancelled or expired." };
  }
  await raise(user, { amr: factor.amr, acr: ACR.PHR, authTime: epochSeconds() });
  await recordAudit({
    userId: user.id,
    action: "step_up.verify",
    outcome: "SUCCESS",
    metadata: { intentId: intent.id, policy: intent.action, ...factor.audit },
  });
  try {
    return {
      ok: true,
      redirectTo: await then(user, intent),
      action: intent.action,
      message: operationOf(intent.action).success,
    };
  } catch (err) {
    if (err instanceof DomainError) return { ok: false, code: "operation_failed", message: err.userMessage };
    throw err;
  }
}

/** Cancel leaves no trace but the audit: the intent is marked cancelled and nothing runs. */
export async function cancelStepUp(intentId: unknown): Promise<string> {
  return cancelStepUpFor(await requireUser(), intentId);
}

/** cancelStepUp for a user (and session, or API client) the caller authenticated. */
export async function cancelStepUpFor(user: SessionUser, intentId: unknown): Promise<string> {
  const intent = await findIntent(user, intentId);
  if (!intent) return "/dashboard";
  if (await cancelIntent(user, intent.id)) {
    await recordAudit({
      userId: user.id,
      action: "step_up.cancel",
      outcome: "SUCCESS",
      metadata: { intentId: intent.id, policy: intent.action },
    });
  }
  return describeIntent(intent.action, intent.payload).backTo;
}

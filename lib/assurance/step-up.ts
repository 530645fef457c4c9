import "server-only";
import { randomBytes } from "node:crypto";
import { generateAuthenticationOptions, type PublicKeyCredentialRequestOptionsJSON } from "@simplewebauthn/server";
import { auditedTransaction, recordAudit } from "@/lib/audit/log";
import { ACR, epochSeconds, passkeyAmr, type Grant } from "@/lib/auth/claims";
import { raiseSessionClaims } from "@/lib/auth/raise-claims";
import { requireUser, type SessionUser } from "@/lib/auth/current-user";
import { boundChallenge, challengeMatches, NONCE_BYTES, nonceOf, payloadHashOf } from "@/lib/assurance/binding";
import type { IntentDescription } from "@/lib/assurance/operation";
import { describeForConfirmation, describeIntent, operationOf, resumeIntent } from "@/lib/assurance/pipeline";
import {
  authoriseIntentIn,
  cancelIntent,
  findIntent,
  isIntentId,
  issueChallenge,
  recordFailedAttempt,
  spendChallenge,
  type Intent,
} from "@/lib/assurance/intents";
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
import { db, type Tx } from "@/lib/db";
import { DomainError } from "@/lib/errors";
import { requestTimeZone } from "@/lib/request-time-zone";
import { checkAssertion, recordPasskeyUse } from "@/lib/webauthn/assertion";
import { clientDataOf } from "@/lib/webauthn/challenges";
import {
  ceremonyOfType,
  CLIENT_DATA_TYPE,
  INSTRUMENT_ICON_PATH,
  paymentMismatch,
  signedPaymentOf,
  type Ceremony,
  type PaymentDetails,
  type SpcRequest,
} from "@/lib/assurance/spc";
import { CEREMONY_TIMEOUT_MS, CHALLENGE_TTL_MS, rp } from "@/lib/webauthn/config";
import { ensureDeviceId, rememberDevice } from "@/lib/risk/device";
import { HIGH_RISK_TEXT, levelOf, SIGNAL_TEXT, type SignalCode } from "@/lib/risk/signals";

export type StepUpView = {
  intent: Pick<Intent, "id" | "action" | "status" | "expiresAt" | "cancelReason">;
  description: IntentDescription;
  /** RFC 9470 §3 / OIDC Core §3.1.2.1 terms: what this step-up must achieve. */
  requirement: Requirement;
  reason: string;
  /** Why now, in plain words: the risk signals the guard saw (lib/risk/signals.ts SIGNAL_TEXT). */
  why: string[];
  passkeys: { nickname: string; lastUsedAt: Date | null }[];
  /**
   * A payment the browser's own dialog can show (Secure Payment Confirmation, lib/assurance/spc.ts):
   * the operation describes it as one, and one of the customer's passkeys can sign it. The page still
   * asks the browser whether it has the dialog, and falls back to WebAuthn when it doesn't.
   */
  spc: boolean;
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
      select: { nickname: true, lastUsedAt: true, payment: true },
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
    description: await describeForConfirmation(user, intent.action, intent.payload),
    requirement: requirementOf({ ...policy, acr: policy.acr, bound }),
    reason: policy.label,
    why: [
      ...intent.risk.map((signal) => SIGNAL_TEXT[signal.code]),
      // High risk: said up front, so the customer doesn't confirm with a passkey that can't work.
      ...(policy.risk && levelOf(intent.risk) === "high" ? [HIGH_RISK_TEXT] : []),
    ],
    passkeys: passkeys.map((p) => ({ nickname: p.nickname, lastUsedAt: p.lastUsedAt })),
    spc: paymentDetailsOf(intent) !== null && passkeys.some((p) => p.payment),
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

/** What a payment intent asks the browser's payment dialog to show; null for anything else. */
export const paymentDetailsOf = (intent: Pick<Intent, "action" | "payload">): PaymentDetails | null =>
  operationOf(intent.action).payment?.(intent.payload) ?? null;

export type BeginResult =
  /**
   * `spc` is set when the challenge was issued for the browser's payment dialog (asked for, a payment,
   * and a passkey that can sign one); the page then runs SPC, else WebAuthn with `options`.
   */
  | { ok: true; options: PublicKeyCredentialRequestOptionsJSON; spc: SpcRequest | null }
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

/** Why an intent that isn't pending (or isn't this user's) can't begin a ceremony. */
async function whyNotPending(user: SessionUser, intentId: unknown): Promise<Extract<BeginResult, { ok: false }>> {
  return (
    (await notPending(user.id, await findIntent(user, intentId))) ?? {
      ok: false,
      code: "expired",
      message: "This confirmation expired: for your safety it lasts only a few minutes. Please start again.",
    }
  );
}

/**
 * Starts the passkey ceremony for an intent. The challenge is nonce ‖ H(nonce ‖ H(intent)), so the
 * assertion can only ever authorise this intent (PSD2 RTS Art. 5(1)); allowCredentials lists only
 * this user's passkeys, and UV is required.
 */
export async function beginStepUp(intentId: unknown, ceremony?: unknown): Promise<BeginResult> {
  return beginStepUpFor(await requireUser(), intentId, ceremony === "spc" ? "spc" : "webauthn");
}

/**
 * beginStepUp for a user already authenticated by the caller (the bench and the integration tests).
 * `wanted` "spc": the page found the browser's payment dialog available; the challenge is issued for
 * it only when the intent is a payment and a passkey can sign one, else for WebAuthn as usual.
 */
export async function beginStepUpFor(
  user: SessionUser,
  intentId: unknown,
  wanted: Ceremony = "webauthn",
): Promise<BeginResult> {
  const nonce = randomBytes(NONCE_BYTES);
  const passkeys = await db.passkey.findMany({
    where: { userId: user.id },
    select: { id: true, transports: true, payment: true },
  });
  const paymentKeys = wanted === "spc" ? passkeys.filter((p) => p.payment) : [];
  let intent = await issueChallenge(
    user,
    intentId,
    nonce.toString("base64url"),
    CHALLENGE_TTL_MS,
    paymentKeys.length > 0 ? "spc" : "webauthn",
  );
  if (!intent) return whyNotPending(user, intentId);
  if (passkeys.length === 0) return { ok: false, code: "no_passkey", message: "Add a passkey first." };
  const payment = paymentKeys.length > 0 ? paymentDetailsOf(intent) : null;
  // Asked for SPC on something that isn't a payment: the same nonce written again, for WebAuthn (one more write).
  if (intent.ceremony === "spc" && !payment) {
    intent = await issueChallenge(user, intentId, nonce.toString("base64url"), CHALLENGE_TTL_MS, "webauthn");
    if (!intent) return whyNotPending(user, intentId);
  }
  const challenge = boundChallenge(nonce, payloadHashOf(intent.canonical));
  const options = await generateAuthenticationOptions({
    rpID: rp.id,
    allowCredentials: passkeys.map((p) => ({
      id: p.id,
      transports: p.transports ? (p.transports.split(",") as never) : undefined,
    })),
    userVerification: "required",
    timeout: CEREMONY_TIMEOUT_MS,
    challenge,
  });
  const spc: SpcRequest | null =
    payment && intent.ceremony === "spc"
      ? {
          ...payment,
          credentialIds: paymentKeys.map((p) => p.id),
          challenge: options.challenge,
          rpId: rp.id,
          icon: INSTRUMENT_ICON_PATH,
          timeout: CEREMONY_TIMEOUT_MS,
        }
      : null;
  return { ok: true, options, spc };
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
 * Verifies the assertion, authorises the intent it was made for (once), raises the session's claims
 * through a sealed grant, and resumes the original operation from the stored intent.
 */
export async function completeStepUp(intentId: unknown, response: unknown): Promise<CompleteResult> {
  return completeStepUpFor(await requireUser(), intentId, response);
}

/** How a successful step-up upgrades the session; the default sets the new session cookie on this response. */
export type RaiseClaims = (user: SessionUser, grant: Grant) => Promise<void>;

/**
 * completeStepUp for a user already authenticated by the caller. `raise` is where the upgraded claims
 * go: the session cookie in the app; the bench and the integration tests, which have no response to
 * set a cookie on, pass one that opens the grant the same way (lib/auth/grants.ts). `then` runs once
 * the intent is authorised and returns where to go: by default the operation resumes; an API
 * client's intent instead gets an authorization code (lib/api/authorize.ts).
 *
 * The server's part costs a fixed handful of statements (lib/assurance/step-up.test.ts counts them):
 * the lockout's point, the passkey, then one transaction in which a single conditional write spends
 * the challenge and authorises the intent, with the passkey's counter, the lockout's reset and the
 * audit row committing beside it. Nothing is read to decide the common case; a refusal reads what it
 * needs to explain itself.
 */
export async function completeStepUpFor(
  user: SessionUser,
  intentId: unknown,
  response: unknown,
  raise: RaiseClaims = raiseSessionClaims,
  then: (user: SessionUser, intent: Intent) => Promise<string> = resumeIntent,
): Promise<CompleteResult> {
  if (!isIntentId(intentId)) return NOT_FOUND;
  // The attempt's point is taken before the assertion is verified, so racing completions can't all
  // be evaluated before the first failure is counted (PSD2 RTS Art. 4(3)(b)).
  const taken = await stepUpLockout.take(user.id);
  if (!taken.ok) return { ok: false, code: "locked", message: lockedMessage(taken.state) };

  // The challenge the browser signed names the intent's live nonce; the signature is checked over
  // it here, and the authorising write below accepts it only if it is that intent's live challenge,
  // derived from the intent as stored (binding.ts).
  const clientData = clientDataOf(response as Parameters<typeof clientDataOf>[0]);
  const presented = clientData.challenge;
  const nonce = presented ? nonceOf(presented) : null;
  // Which ceremony the assertion answers: a plain WebAuthn get, or the browser's payment dialog
  // ("payment.get", SPC). It is verified as that type, and the authorising write accepts it only if
  // the intent's live challenge was issued for that ceremony.
  const ceremony = ceremonyOfType(clientData.type);
  const verified =
    nonce && ceremony
      ? await checkAssertion(response, (challenge) => challenge === presented, user.id, CLIENT_DATA_TYPE[ceremony])
      : { ok: false as const, reason: nonce ? "unexpected_type" : "malformed_challenge" };
  const refusal: { reason?: string } = {};
  if (verified.ok && nonce && presented) {
    // A browser confirming on a device it has no valid device cookie for gets one now, so the device
    // can be remembered if the intent saw it as new (below).
    const deviceId = user.context ? (user.context.deviceId ?? (await ensureDeviceId())) : null;
    const outcome = await authorise(
      user,
      intentId,
      {
        amr: passkeyAmr(verified.flags),
        confirmer: { kind: "passkey", passkeyId: verified.passkeyId },
        audit: { passkey: verified.nickname, ceremony: ceremony! },
        challenge: { nonce, presented, ceremony: ceremony! },
        // SPC: what the browser showed, and the passkey signed, must be the stored payment (spc.ts).
        check:
          ceremony === "spc"
            ? (intent) => {
                const expected = paymentDetailsOf(intent);
                const why = expected
                  ? paymentMismatch(expected, signedPaymentOf(clientData.clientDataJSON), rp)
                  : "payment_missing";
                if (why) refusal.reason = why;
                return why === null;
              }
            : undefined,
        device: deviceId ? { id: deviceId, userAgent: user.context?.userAgent ?? null } : undefined,
        commit: async (tx) => {
          await recordPasskeyUse(tx, verified);
          await taken.ticket.succeeded(tx); // a verified passkey ends the run of failures
        },
      },
      raise,
      then,
    );
    if (outcome) {
      if (!outcome.ok) await taken.ticket.succeeded(); // refused by a rule, but the passkey was right
      return outcome;
    }
  }

  // Not authorised: say why, and count the attempt only if there was something to confirm.
  const intent = await findIntent(user, intentId);
  const problem = await notPending(user.id, intent);
  if (problem || !intent) {
    await taken.ticket.refund(); // nothing could have been confirmed: the attempt says nothing
    return problem ?? NOT_FOUND;
  }
  if (!intent.challengeLive) {
    await taken.ticket.refund();
    await recordAudit({
      userId: user.id,
      action: "step_up.verify",
      outcome: "FAILURE",
      reason: "no_pending_challenge",
      metadata: { intentId: intent.id },
    });
    return { ok: false, code: "failed", message: "That confirmation was already used or timed out. Try again." };
  }
  await recordFailedAttempt(intent.id);
  const state = taken.ticket.failed();
  const reason =
    refusal.reason ??
    (!verified.ok
      ? verified.reason
      : ceremony !== intent.ceremony
        ? "ceremony_mismatch"
        : "challenge_of_another_intent");
  await recordAudit({
    userId: user.id,
    action: "step_up.verify",
    outcome: "FAILURE",
    reason,
    metadata: { intentId: intent.id, failures: state.failures, ...(ceremony ? { ceremony } : {}) },
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
  const refused = reason.startsWith("payment_")
    ? "Your browser's payment dialog didn't show exactly this payment, so it wasn't confirmed. Nothing was sent."
    : "Your passkey wasn't accepted.";
  return {
    ok: false,
    code: "failed",
    message:
      state.failures >= LOCKOUT.warnAfter
        ? `${refused} ${left} attempt${left === 1 ? "" : "s"} left before confirmation is paused for 15 minutes.`
        : `${refused} Try again, or use another passkey.`,
    failures: state.failures,
    warn: state.failures >= LOCKOUT.warnAfter,
  };
}

const NOT_FOUND = { ok: false, code: "not_found", message: "This confirmation was not found." } as const;

/** A verified second factor, as authorise needs it. */
type Factor = {
  amr: string[];
  confirmer: Confirmer;
  audit: Record<string, string>;
  /**
   * A passkey's: the live nonce its challenge named, the challenge, checked against the stored intent,
   * and the ceremony it answered (the intent's live challenge must have been issued for it).
   */
  challenge?: { nonce: string; presented: string; ceremony: Ceremony };
  /** A last check of the intent as authorised, inside the transaction (SPC's signed payment); false refuses. */
  check?: (intent: Intent) => boolean;
  /** The intent as the caller read it (the IdP's step-up): the authorising write requires it unchanged. */
  canonical?: string;
  /** Writes that commit with the authorisation (the passkey's counter, the lockout's reset). */
  commit?: (tx: Tx) => Promise<void>;
  /** The browser the passkey was used on: remembered as a known device when the intent saw it as new or stale. */
  device?: { id: string; userAgent: string | null };
};

/** The signals a passkey on this device answers: afterwards it is known (lib/risk/device.ts). */
const DEVICE_SIGNALS: ReadonlySet<SignalCode> = new Set(["new_device", "stale_device"]);

/** Thrown inside authorise's transaction to roll it back; `deny` then says why, when a rule refused. */
class NotAuthorised extends Error {
  constructor(readonly deny: (() => Promise<Extract<CompleteResult, { ok: false }>>) | null = null) {
    super("not authorised");
  }
}

/**
 * After a verified second factor (a passkey assertion, or the IdP's answer to a step-up request):
 * the intent is authorised, the session's claims raised, the success audited, and the operation
 * resumed. Shared, so every factor ends the same way. Null when the intent wasn't there to authorise
 * (used, expired, cancelled, changed, or not the challenge's), for the caller to explain.
 *
 * The recovery cooling-off is checked before anything is authorised, inside the same transaction,
 * so the customer hears the real reason (the guard checks it again when the operation runs, on every
 * channel).
 */
async function authorise(
  user: SessionUser,
  intentId: string,
  factor: Factor,
  raise: RaiseClaims,
  then: (user: SessionUser, intent: Intent) => Promise<string>,
): Promise<CompleteResult | null> {
  let intent: Intent;
  try {
    intent = await auditedTransaction(async (tx) => {
      const now = new Date();
      const authorised = await authoriseIntentIn(
        tx,
        user,
        intentId,
        {
          nonce: factor.challenge?.nonce,
          ceremony: factor.challenge?.ceremony,
          canonical: factor.canonical,
          authorisedBy: confirmerKey(factor.confirmer),
        },
        now,
      );
      if (!authorised) throw new NotAuthorised();
      const challenge = factor.challenge;
      if (
        challenge &&
        !challengeMatches(challenge.presented, Buffer.from(challenge.nonce, "base64url"), authorised.canonical)
      )
        throw new NotAuthorised(); // signed for another payload than the one stored: dynamic linking fails
      if (factor.check && !factor.check(authorised)) throw new NotAuthorised(); // SPC: shown ≠ stored
      const policy: Policy = POLICIES[authorised.action];
      const hold =
        policy.heldAfterRecovery || policy.boundAfterRecovery ? await recoveryHoldOf(user.id, now, tx) : null;
      if (hold && policy.heldAfterRecovery) throw new NotAuthorised(() => refuseHeld(user, authorised, hold.until));
      if (hold && !(await mayConfirmDuringHold(user.id, factor.confirmer, hold, tx)))
        throw new NotAuthorised(() => refuseEnrolledDuringHold(user, authorised, factor, hold.until));
      await factor.commit?.(tx);
      // Only when the guard saw the device as new or stale: a known device costs no write here.
      if (factor.device && authorised.risk.some((x) => DEVICE_SIGNALS.has(x.code)))
        await rememberDevice(tx, user.id, factor.device.id, factor.device.userAgent, now);
      await recordAudit(
        {
          userId: user.id,
          action: "step_up.verify",
          outcome: "SUCCESS",
          metadata: { intentId: authorised.id, policy: authorised.action, ...factor.audit },
        },
        tx,
      );
      return authorised;
    });
  } catch (err) {
    if (err instanceof NotAuthorised) return err.deny ? err.deny() : null;
    throw err;
  }
  await raise(user, { amr: factor.amr, acr: ACR.PHR, authTime: epochSeconds() });
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

async function refuseHeld(
  user: SessionUser,
  intent: Intent,
  until: Date,
): Promise<Extract<CompleteResult, { ok: false }>> {
  await cancelIntent(user, intent.id, "recovery_sign_in");
  await recordAudit({
    userId: user.id,
    action: "step_up.verify",
    outcome: "DENIED",
    reason: "recovery_cooling_off",
    metadata: { intentId: intent.id, policy: intent.action },
  });
  return { ok: false, code: "held", message: heldMessage(until, await requestTimeZone()) };
}

async function refuseEnrolledDuringHold(
  user: SessionUser,
  intent: Intent,
  factor: Factor,
  until: Date,
): Promise<Extract<CompleteResult, { ok: false }>> {
  await spendChallenge(intent.id);
  await recordAudit({
    userId: user.id,
    action: "step_up.verify",
    outcome: "DENIED",
    reason: "passkey_enrolled_during_cooling_off",
    metadata: { intentId: intent.id, policy: intent.action, ...factor.audit },
  });
  return { ok: false, code: "failed", message: enrolledDuringHoldMessage(until, await requestTimeZone()) };
}

/**
 * The IdP's step-up (lib/auth/sso-step-up.ts) ends here, as a passkey's does: `intent` as the caller
 * read it, authorised only if it is still exactly that.
 */
export async function authoriseAndResume(
  user: SessionUser,
  intent: Intent,
  factor: { amr: string[]; confirmer: Confirmer; audit: Record<string, string> },
  raise: RaiseClaims = raiseSessionClaims,
  then: (user: SessionUser, intent: Intent) => Promise<string> = resumeIntent,
): Promise<CompleteResult> {
  return (
    (await authorise(user, intent.id, { ...factor, canonical: intent.canonical }, raise, then)) ?? {
      ok: false,
      code: "used",
      message: "This confirmation was already completed, cancelled or expired.",
    }
  );
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

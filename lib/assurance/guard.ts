import "server-only";
import { recordAudit, type AuditInput } from "@/lib/audit/log";
import { epochSeconds } from "@/lib/auth/claims";
import type { Actor, Sca } from "@/lib/assurance/operation";
import { canonicalJson } from "@/lib/assurance/binding";
import { evaluatePolicy, type Decision, type GuardFacts, type Requirement } from "@/lib/assurance/evaluate";
import { consumeIntent, createIntent, findIntent } from "@/lib/assurance/intents";
import { POLICIES, type Policy, type PolicyAction } from "@/lib/assurance/policy";
import {
  confirmerOf,
  enrolledDuringHoldMessage,
  heldMessage,
  holdOf,
  HOLD_COLUMNS,
  mayConfirmDuringHold,
  type RecoveryHold,
} from "@/lib/assurance/recovery-hold";
import { db, type Tx } from "@/lib/db";
import { env } from "@/lib/env";
import { requestTimeZone } from "@/lib/request-time-zone";
import { DomainError } from "@/lib/errors";
import { FREEZE_COLUMNS, freezeOf, frozenError, type Freeze } from "@/lib/auth/freeze";
import { contextFacts } from "@/lib/risk/facts";
import { assessRisk, levelOf, type RiskAssessment, type Signal } from "@/lib/risk/signals";
import { RISK } from "@/lib/risk/thresholds";

/** Thrown when the session falls short: the validated operation waits as intent `intentId`. */
export class StepUpRequired extends Error {
  constructor(
    readonly intentId: string,
    readonly requirement: Requirement,
    readonly reason: string,
  ) {
    super(`step-up required (${reason})`);
    this.name = "StepUpRequired";
  }
}

export type GuardPass = {
  outcome: "allowed" | "exempted";
  reason: string;
  /** How strong customer authentication was satisfied, for the record (Transfer.sca). */
  sca: Sca;
  /**
   * Call inside the operation's transaction: writes the decision's audit row there, so an allowed
   * operation costs one commit, not two, and when it resumes an authorised intent, marks the intent
   * consumed, so a replay or a racing second completion rolls back instead of running twice.
   */
  commit(tx: Tx, result: Record<string, string>): Promise<void>;
  /**
   * Call when the operation's transaction did not commit (it failed, or is decided again): the
   * decision is still audited, in its own write.
   */
  recordUncommitted(): Promise<void>;
};

/**
 * The assurance guard. The pipeline (lib/assurance/pipeline.ts) calls it for every protected
 * operation, with the exact operation the user is about to perform (`payload`, which is what the
 * step-up page shows and the passkey signs).
 *
 * - Policy satisfied (or exempted): returns a pass, whose decision is audited in the operation's own
 *   transaction (`commit`), or on its own if the operation doesn't commit (`recordUncommitted`).
 * - Held (the cooling-off period after a recovery-code sign-in): throws DomainError "recovery_hold".
 * - Resuming (`intentId`): passes only for an AUTHORISED intent of this user, session and action
 *   whose stored payload is byte-for-byte this operation (RFC 9470 §4–5 / PSD2 RTS Art. 5(1)).
 * - Otherwise: stores the operation as a pending intent and throws StepUpRequired; the caller (an
 *   channel) redirects to /step-up/<intentId>, or answers RFC 9470's 401.
 */
export async function guard(
  actor: Actor,
  action: PolicyAction,
  op: { payload: Record<string, unknown>; facts?: Omit<GuardFacts, "hasPasskey">; intentId?: string },
): Promise<GuardPass> {
  const decisionOf = (
    outcome: "SUCCESS" | "EXEMPTED" | "STEP_UP_REQUIRED" | "DENIED",
    reason: string,
    extra: Record<string, string> = {},
  ): AuditInput => ({
    userId: actor.id,
    action: "assurance.decision",
    outcome,
    reason,
    metadata: { policy: action, ...extra },
  });
  // Refusals and step-up requirements run no operation: their row is written now, on its own.
  const audit = (...args: Parameters<typeof decisionOf>) => recordAudit(decisionOf(...args));
  // A pass is audited with the operation it lets through, in the same transaction (one commit).
  const pass = (
    decision: AuditInput,
    fields: Pick<GuardPass, "outcome" | "reason" | "sca">,
    consume?: (tx: Tx, result: Record<string, string>) => Promise<void>,
  ): GuardPass => ({
    ...fields,
    async commit(tx, result) {
      await consume?.(tx, result);
      await recordAudit(decision, tx);
    },
    // Only after the transaction rolled back, so the row exists exactly once either way.
    recordUncommitted: () => recordAudit(decision),
  });

  // A credential bound to one intent runs only as that intent: never as another one, never directly.
  const bound = actor.intentId ?? undefined;
  if (bound !== undefined && op.intentId !== undefined && op.intentId !== bound) {
    await audit("DENIED", "intent_mismatch", { intentId: String(op.intentId).slice(0, 64) });
    throw new DomainError(
      "intent_invalid",
      "This confirmation doesn't match the operation any more. Please start again.",
    );
  }
  const resumeId = op.intentId ?? bound;
  const policy = POLICIES[action];

  // Resuming after step-up is explicit: the operation runs only as the intent that was authorised,
  // and consumes it, whatever the session's claims say now (so no AUTHORISED intent is left behind).
  if (resumeId !== undefined) {
    const canonical = canonicalJson({ action, ...op.payload });
    const intent = await findIntent(actor, resumeId);
    if (!intent || intent.status !== "AUTHORISED" || intent.action !== action || intent.canonical !== canonical) {
      await audit("DENIED", "intent_mismatch", { intentId: String(resumeId).slice(0, 64) });
      throw new DomainError(
        "intent_invalid",
        "This confirmation doesn't match the operation any more. Please start again.",
      );
    }
    // Re-checked now, when the operation runs, not only when the intent was made or confirmed: a
    // recovery-code sign-in since then holds it (README "Account recovery"), on every channel.
    // One read for both, and only for a policy either can change.
    const rules: Policy = policy;
    const standing =
      rules.whenFrozen || rules.heldAfterRecovery || rules.boundAfterRecovery
        ? await db.user.findUnique({ where: { id: actor.id }, select: { ...HOLD_COLUMNS, ...FREEZE_COLUMNS } })
        : null;
    await refuseIfFrozen(actor, action, intent, freezeOf(standing), audit);
    await refuseIfHeld(actor, action, intent, holdOf(standing), audit);
    await refuseIfRecentPasskey(actor, intent, audit);
    return pass(
      decisionOf("SUCCESS", "authorised_intent", { intentId: intent.id }),
      // The record says how the customer confirmed: in the browser's own payment dialog (SPC) or not.
      { outcome: "allowed", reason: "authorised_intent", sca: intent.ceremony === "spc" ? "STEP_UP_SPC" : "STEP_UP" },
      (tx, result) => consumeIntent(tx, actor, intent.id, { action, canonical }, result),
    );
  }

  // The user's facts (any passkey, a recovery hold) can change the decision only for a policy that
  // bootstraps, or is held or bound after a recovery sign-in. Any other policy that the session's claims
  // already satisfy is decided by them alone (OIDC Core §3.1.2.1 max_age: a passkey authentication
  // within max_age is the evidence asked for), so the hot path of a grace window reads nothing.
  const rules: Policy = policy;
  const factsMatter =
    rules.bootstrap !== undefined || !!rules.heldAfterRecovery || !!rules.boundAfterRecovery || !!rules.whenFrozen;
  if (policy.acr !== null && !factsMatter) {
    const byClaims = evaluatePolicy(policy, actor.claims, { ...op.facts, hasPasskey: true }, epochSeconds());
    if (byClaims.outcome === "allowed")
      return pass(decisionOf("SUCCESS", byClaims.reason), { outcome: "allowed", reason: byClaims.reason, sca: "NONE" });
  }

  // One read for both facts a step-up policy needs about the user: any passkey, and a recovery hold.
  // A policy that asks for no step-up (acr null) decides on nothing, so it reads nothing.
  const user =
    policy.acr === null
      ? null
      : await db.user.findUnique({
          where: { id: actor.id },
          select: { ...HOLD_COLUMNS, ...FREEZE_COLUMNS, _count: { select: { passkeys: true, identities: true } } },
        });
  const hold = holdOf(user)?.until;
  // A second factor to step up with: a passkey, or the IdP for an SSO customer when it is trusted for step-up.
  const ssoStepUp = env.SSO?.stepUpAcr != null && (user?._count.identities ?? 0) > 0;
  const facts: GuardFacts = {
    ...op.facts,
    hasPasskey: (user?._count.passkeys ?? 0) > 0 || ssoStepUp,
    recoveryHoldUntil: hold ? epochSeconds(hold) : undefined,
  };
  const freeze = user ? freezeOf(user) : null;
  if (freeze) facts.frozenSince = epochSeconds(freeze.since);
  // A policy that decides on risk assesses it now, for this operation (lib/risk, docs/risk.md).
  if (rules.risk) facts.risk = assessRisk({ ...(await contextFacts(actor)), payment: op.facts?.payment });
  const riskAudit = (risk: RiskAssessment | undefined): Record<string, string> =>
    risk ? { risk: risk.level, signals: risk.signals.map((x) => x.code).join(",") } : {};
  const decision: Decision = evaluatePolicy(policy, actor.claims, facts, epochSeconds());
  if (decision.outcome === "allowed") {
    return pass(decisionOf("SUCCESS", decision.reason, riskAudit(facts.risk)), {
      outcome: "allowed",
      reason: decision.reason,
      sca: "NONE",
    });
  }
  if (decision.outcome === "exempted") {
    return pass(decisionOf("EXEMPTED", decision.reason, riskAudit(facts.risk)), {
      outcome: "exempted",
      reason: decision.reason,
      sca: decision.reason === "low_risk" ? "EXEMPT_TRA" : "EXEMPT_LOW_VALUE",
    });
  }
  if (decision.outcome === "frozen") {
    await audit("DENIED", "account_frozen", riskAudit(facts.risk));
    throw frozenError();
  }
  if (decision.outcome === "held") {
    const until = new Date(decision.until * 1000);
    await audit("DENIED", decision.reason, { until: until.toISOString(), ...riskAudit(facts.risk) });
    throw new DomainError("recovery_hold", heldMessage(until, await requestTimeZone()));
  }

  // The intent keeps the signals seen now: the step-up page says why, and confirming on a new device
  // remembers it. A policy that doesn't decide on risk still has them looked at here (a step-up is
  // being asked for anyway), but they can't lower what it asks.
  const risk = facts.risk ?? assessRisk(await contextFacts(actor));
  // The intent and the decision that asked for it commit together.
  const intentId = await createIntent(
    actor,
    action,
    op.payload,
    (id) =>
      decisionOf("STEP_UP_REQUIRED", decision.reason, {
        intentId: id,
        acr_values: decision.requirement.acr_values,
        max_age: String(decision.requirement.max_age),
        ...riskAudit(risk),
      }),
    risk.signals,
  );
  throw new StepUpRequired(intentId, decision.requirement, decision.reason);
}

/**
 * High risk (lib/risk): the operation runs only if the passkey that confirmed it was enrolled before
 * the recent-change window began, so a passkey a thief could have added lately can't confirm it.
 * Checked when the operation runs, from the signals stored with the intent. Throws DomainError.
 */
async function refuseIfRecentPasskey(
  actor: Actor,
  intent: { id: string; action: PolicyAction; authorisedBy: string | null; createdAt: Date; risk: Signal[] },
  audit: (outcome: "DENIED", reason: string, extra: Record<string, string>) => Promise<void>,
): Promise<void> {
  const policy: Policy = POLICIES[intent.action];
  if (!policy.risk || levelOf(intent.risk) !== "high") return;
  const window = { startedAt: new Date(intent.createdAt.getTime() - RISK.recentChangeS * 1000) };
  if (await mayConfirmDuringHold(actor.id, confirmerOf(intent.authorisedBy), { ...window, until: intent.createdAt }))
    return;
  await audit("DENIED", "high_risk_recent_passkey", { intentId: intent.id });
  throw new DomainError(
    "high_risk",
    "This looked unusual, so it needs a passkey you've had for more than a day. Nothing was sent or changed.",
  );
}

/**
 * A freeze, for an intent about to run (the account may have been frozen since it was asked for or
 * confirmed): what the freeze refuses is refused, and what it binds runs only if the passkey that
 * confirmed it was enrolled before the freeze. The IdP doesn't count: the freeze says the account may
 * be in someone else's hands. Throws DomainError "account_frozen".
 */
async function refuseIfFrozen(
  actor: Actor,
  action: PolicyAction,
  intent: { id: string; authorisedBy: string | null },
  freeze: Freeze | null,
  audit: (outcome: "DENIED", reason: string, extra: Record<string, string>) => Promise<void>,
): Promise<void> {
  const policy: Policy = POLICIES[action];
  if (!policy.whenFrozen || !freeze) return;
  if (policy.whenFrozen === "refused") {
    await audit("DENIED", "account_frozen", { intentId: intent.id });
    throw frozenError();
  }
  const confirmer = confirmerOf(intent.authorisedBy);
  const passkey =
    confirmer?.kind === "passkey"
      ? await db.passkey.findFirst({
          where: { id: confirmer.passkeyId, userId: actor.id },
          select: { createdAt: true },
        })
      : null;
  if (passkey && passkey.createdAt < freeze.since) return;
  await audit("DENIED", "passkey_enrolled_after_freeze", { intentId: intent.id });
  throw new DomainError(
    "account_frozen",
    "Your account is frozen, and only a passkey you had before the freeze can confirm this. Nothing was changed.",
  );
}

/**
 * The recovery cooling-off, for an intent about to run: what the hold holds is refused outright, and
 * what it binds runs only if the factor that confirmed it may confirm during the hold (a passkey
 * enrolled before the hold began, or the IdP). Throws DomainError "recovery_hold".
 */
async function refuseIfHeld(
  actor: Actor,
  action: PolicyAction,
  intent: { id: string; authorisedBy: string | null },
  hold: RecoveryHold | null,
  audit: (outcome: "DENIED", reason: string, extra: Record<string, string>) => Promise<void>,
): Promise<void> {
  const policy: Policy = POLICIES[action];
  if (!policy.heldAfterRecovery && !policy.boundAfterRecovery) return;
  if (!hold) return;
  if (policy.heldAfterRecovery) {
    await audit("DENIED", "recovery_cooling_off", { intentId: intent.id, until: hold.until.toISOString() });
    throw new DomainError("recovery_hold", heldMessage(hold.until, await requestTimeZone()));
  }
  if (!(await mayConfirmDuringHold(actor.id, confirmerOf(intent.authorisedBy), hold))) {
    await audit("DENIED", "passkey_enrolled_during_cooling_off", {
      intentId: intent.id,
      until: hold.until.toISOString(),
    });
    throw new DomainError("recovery_hold", enrolledDuringHoldMessage(hold.until, await requestTimeZone()));
  }
}

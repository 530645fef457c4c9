import "server-only";
import { guard, type GuardPass } from "@/lib/assurance/guard";
import { consumeIntent, type Intent } from "@/lib/assurance/intents";
import { ExemptionSpent, type Actor, type IntentDescription, type Operation } from "@/lib/assurance/operation";
import type { PolicyAction } from "@/lib/assurance/policy";
import type { AuditAction } from "@/lib/audit/actions";
import { auditedTransaction, recordAudit } from "@/lib/audit/log";
import { db } from "@/lib/db";
import { DomainError, parseInput } from "@/lib/errors";
import { log } from "@/lib/log";
import { OPERATIONS } from "@/lib/operations";

/** The operation a policy action belongs to (lib/operations.ts). */
export const operationOf = (
  action: PolicyAction,
): Operation<unknown, Record<string, unknown>, unknown, unknown, AuditAction> => OPERATIONS[action];

/** What the step-up page shows for an intent: its operation's own description of the stored payload. */
export const describeIntent = (action: PolicyAction, payload: Record<string, unknown>): IntentDescription =>
  operationOf(action).describe(payload);

/** describeIntent with the operation's warning, if any, worked out now for this customer. */
export async function describeForConfirmation(
  actor: Actor,
  action: PolicyAction,
  payload: Record<string, unknown>,
): Promise<IntentDescription> {
  const op = operationOf(action);
  return { ...op.describe(payload), warning: (await op.warning?.(actor, payload)) ?? null };
}

const isUniqueViolation = (err: unknown) => (err as { code?: string } | null)?.code === "P2002";

/**
 * The one way any channel runs a protected operation: a server action, the bearer API, a resume after
 * the step-up page, `/oauth/authorize`'s token, the SSO step-up. The channel supplies the actor and
 * its assurance, nothing else. Here:
 * 1. the raw input is parsed with the operation's schema (bad input changes nothing);
 * 2. `prepare` checks it against the database and builds the exact payload;
 * 3. the guard decides, now: allowed, exempted, held, or StepUpRequired with the payload stored as an
 *    intent; resuming (`intentId`, or an actor bound to one), only as that authorised intent, byte for
 *    byte, re-checking the recovery hold when the operation runs (lib/assurance/guard.ts);
 * 4. `run` and the intent's consumption commit in one transaction, so a replay or a racing second
 *    completion rolls back instead of running twice.
 */
export async function perform<In, P extends Record<string, unknown>, C, R>(
  op: Operation<In, P, C, R, AuditAction>,
  actor: Actor,
  raw: unknown,
  options: { intentId?: string } = {},
): Promise<R> {
  const input = parseInput(op.input, raw);
  return attempt(op, actor, input, options, false);
}

async function attempt<In, P extends Record<string, unknown>, C, R>(
  op: Operation<In, P, C, R, AuditAction>,
  actor: Actor,
  input: In,
  options: { intentId?: string },
  exemptionSpent: boolean,
): Promise<R> {
  let action: PolicyAction | null = null;
  let pass: GuardPass | null = null;
  try {
    const prepared = await op.prepare(actor, input);
    if ("replay" in prepared) return prepared.replay;
    action = prepared.action;
    const passed = (pass = await guard(actor, prepared.action, {
      payload: prepared.payload,
      facts: { ...prepared.facts, exemptionSpent },
      intentId: options.intentId,
    }));
    const ready = op.compute ? { ...prepared, carry: await op.compute(actor, prepared) } : prepared;
    return await auditedTransaction(async (tx) => {
      const result = await op.run(tx, actor, ready, { sca: passed.sca });
      // The decision's audit row commits with the operation; where the result is shown, for the
      // step-up page of a used intent ("Payment sent. View receipt").
      await passed.commit(tx, {
        ...op.record(result),
        ...(op.resume.kind === "run" ? { location: op.resume.to(result) } : {}),
      });
      return result;
    });
  } catch (err) {
    // Every decision is audited: one whose operation didn't commit gets its own row.
    await pass
      ?.recordUncommitted()
      .catch((auditErr: unknown) => log.error({ err: auditErr }, "A guard decision could not be audited"));
    if (err instanceof ExemptionSpent && !exemptionSpent) {
      // A concurrent operation used the exemption first: decide again without it (PSD2 RTS Art. 16's
      // budget holds under concurrency), which now asks for step-up, so this can't happen twice.
      await recordAudit({
        userId: actor.id,
        action: "assurance.decision",
        outcome: "DENIED",
        reason: "exemption_budget_spent_concurrently",
        metadata: { policy: action },
      });
      return attempt(op, actor, input, options, true);
    }
    if (isUniqueViolation(err)) {
      // A concurrent retry of the same operation (its idempotency key) committed first: answer as a replay.
      const again = await op.prepare(actor, input).catch(() => null);
      if (again && "replay" in again) return again.replay;
    }
    if (err instanceof DomainError && op.audit.failures) {
      await recordAudit({ userId: actor.id, action: op.audit.action, outcome: "FAILURE", reason: err.code });
    }
    throw err;
  }
}

/**
 * The review step before an operation (a payment): the same parsing and checks as `perform` (funds,
 * limits, the payee), nothing written and no decision made, and the operation's own description of
 * what it will do, so the review shows what the step-up page would and what the passkey would sign.
 * A retry of an operation that already ran (its idempotency key) gives its result instead.
 */
export async function review<In, P extends Record<string, unknown>, C, R>(
  op: Operation<In, P, C, R, AuditAction>,
  actor: Actor,
  raw: unknown,
): Promise<{ replay: R } | { description: IntentDescription }> {
  const prepared = await op.prepare(actor, parseInput(op.input, raw));
  if ("replay" in prepared) return prepared;
  const description = op.describe(prepared.payload);
  return {
    description: {
      ...description,
      details: [...description.details, ...(op.review?.(prepared) ?? [])],
      warning: (await op.warning?.(actor, prepared.payload)) ?? null,
    },
  };
}

/**
 * After a step-up authorised `intent`: runs its operation from the stored payload (no retyping; the
 * pipeline checks everything again, now) and says where its result is. A "revisit" operation only
 * uses up the intent: its page finishes it under the raised claims, showing a result only once.
 * A rule that fails now (the balance changed meanwhile) ends the intent, with the real reason.
 */
export async function resumeIntent(actor: Actor, intent: Intent): Promise<string> {
  const op = operationOf(intent.action);
  if (op.resume.kind === "revisit") {
    // One conditional write, atomic on its own: no transaction around it.
    await consumeIntent(db, actor, intent.id, { action: intent.action, canonical: intent.canonical }, {});
    return op.resume.to(intent.payload, intent.id);
  }
  try {
    const result = await perform(op, actor, op.inputOf(intent.payload), { intentId: intent.id });
    return op.resume.to(result);
  } catch (err) {
    if (err instanceof DomainError && err.code !== "intent_used") {
      // The step-up page of this intent then says why, instead of offering a confirmation that can't work.
      await db.stepUpIntent.updateMany({
        where: { id: intent.id, userId: actor.id, sessionId: actor.sid, status: "AUTHORISED" },
        data: {
          status: "CANCELLED",
          cancelReason: `failed:${err.code}`,
          result: JSON.stringify({ failed: err.userMessage }),
        },
      });
    }
    throw err;
  }
}

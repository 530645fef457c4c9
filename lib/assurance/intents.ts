import "server-only";
import { randomBytes } from "node:crypto";
import { canonicalJson, payloadHashOf } from "@/lib/assurance/binding";
import { intentLimit, RateLimited } from "@/lib/assurance/lockout";
import type { Actor } from "@/lib/assurance/operation";
import type { PolicyAction } from "@/lib/assurance/policy";
import { db, type Tx } from "@/lib/db";
import { env } from "@/lib/env";
import { DomainError } from "@/lib/errors";

/**
 * A pending intent is the validated operation waiting for step-up, stored on the server with its
 * canonical payload and hash. It belongs to one user and one session, lives STEP_UP_INTENT_TTL_S
 * (PSD2 RTS Art. 4(3)(d): at most 5 minutes), and moves through these states, each change one
 * conditional UPDATE so that two racing requests can't both make it:
 *
 *   PENDING --assertion ok--> AUTHORISED --operation runs--> CONSUMED
 *   PENDING --cancel--> CANCELLED          (PENDING|AUTHORISED) --time--> EXPIRED (computed)
 *   (PENDING|AUTHORISED) --recovery-code sign-in--> CANCELLED (lib/assurance/recovery-hold.ts)
 */
export const INTENT_TRANSITIONS = {
  PENDING: ["AUTHORISED", "CANCELLED"],
  AUTHORISED: ["CONSUMED", "CANCELLED"],
  CONSUMED: [],
  CANCELLED: [],
} as const;
export type IntentStatus = keyof typeof INTENT_TRANSITIONS | "EXPIRED";

export const canTransition = (from: IntentStatus, to: IntentStatus): boolean =>
  from !== "EXPIRED" && (INTENT_TRANSITIONS[from] as readonly string[]).includes(to);

/** Who an intent belongs to: a customer and the sign-in (or API client) that made it. */
type IntentOwner = Pick<Actor, "id" | "sid">;
/** An API client's intents are owned by `api:<client id>` where a browser's are by its session id (lib/api/tokens.ts apiSid). */
export const API_SID_PREFIX = "api:";

export type Intent = {
  id: string;
  action: PolicyAction;
  payload: Record<string, unknown>;
  /** The canonical text that was hashed (and that the challenge is bound to). */
  canonical: string;
  status: IntentStatus;
  failedAttempts: number;
  expiresAt: Date;
  result: Record<string, string> | null;
  /** What confirmed it (lib/assurance/recovery-hold.ts Confirmer), once authorised. */
  authorisedBy: string | null;
  /** Why it was cancelled, when the customer didn't cancel it (e.g. "recovery_sign_in"). */
  cancelReason: string | null;
};

/** Stores a new pending intent; its id is unguessable (it appears in the step-up URL). */
export async function createIntent(
  owner: IntentOwner,
  action: PolicyAction,
  payload: Record<string, unknown>,
): Promise<string> {
  // An API client stores an intent with every RFC 9470 401 it provokes, as fast as it can call, so
  // intents made by API clients are capped per customer, counted before the row is written (racing
  // calls can't get past it). A browser session makes one per page it submits.
  const allowed = owner.sid.startsWith(API_SID_PREFIX) ? await intentLimit.take(owner.id) : { ok: true as const };
  if (!allowed.ok) {
    throw new RateLimited(
      "too_many_intents",
      `Too many confirmations were started at once. Try again in ${Math.ceil(allowed.retryAfterS / 60)} minute(s).`,
      allowed.retryAfterS,
    );
  }
  const canonical = canonicalJson({ action, ...payload });
  const id = randomBytes(18).toString("base64url");
  await db.stepUpIntent.create({
    data: {
      id,
      userId: owner.id,
      sessionId: owner.sid,
      action,
      payload: canonical,
      payloadHash: payloadHashOf(canonical),
      expiresAt: new Date(Date.now() + env.STEP_UP_INTENT_TTL_S * 1000),
    },
  });
  return id;
}

const effectiveStatus = (status: string, expiresAt: Date, now: Date): IntentStatus =>
  (status === "PENDING" || status === "AUTHORISED") && expiresAt <= now ? "EXPIRED" : (status as IntentStatus);

/** The intent, if it belongs to this user and this session; anyone else gets null ("not found"). */
export async function findIntent(owner: IntentOwner, intentId: unknown, now = new Date()): Promise<Intent | null> {
  if (typeof intentId !== "string" || !/^[A-Za-z0-9_-]{10,64}$/.test(intentId)) return null;
  const row = await db.stepUpIntent.findFirst({ where: { id: intentId, userId: owner.id, sessionId: owner.sid } });
  if (!row) return null;
  const { action, ...payload } = JSON.parse(row.payload) as { action: PolicyAction } & Record<string, unknown>;
  return {
    id: row.id,
    action,
    payload,
    canonical: row.payload,
    status: effectiveStatus(row.status, row.expiresAt, now),
    failedAttempts: row.failedAttempts,
    expiresAt: row.expiresAt,
    result: row.result ? (JSON.parse(row.result) as Record<string, string>) : null,
    authorisedBy: row.authorisedBy,
    cancelReason: row.cancelReason,
  };
}

/**
 * PENDING -> AUTHORISED, once, before expiry, and only if the stored intent is still exactly the one the
 * assertion was verified against (`verifiedCanonical`, the text its challenge was derived from).
 */
export async function authoriseIntent(
  owner: IntentOwner,
  intentId: string,
  verifiedCanonical: string,
  authorisedBy: string | null = null,
  now = new Date(),
): Promise<boolean> {
  const changed = await db.stepUpIntent.updateMany({
    where: {
      id: intentId,
      userId: owner.id,
      sessionId: owner.sid,
      status: "PENDING",
      expiresAt: { gt: now },
      payload: verifiedCanonical,
      payloadHash: payloadHashOf(verifiedCanonical),
    },
    data: { status: "AUTHORISED", authorisedAt: now, authorisedBy },
  });
  return changed.count === 1;
}

/**
 * AUTHORISED -> CONSUMED inside the operation's own transaction: if the operation fails, the intent
 * stays authorised; if two completions race, exactly one consumes it and the other rolls back.
 */
export async function consumeIntent(
  tx: Tx,
  owner: IntentOwner,
  intentId: string,
  expected: { action: PolicyAction; canonical: string },
  result: Record<string, string>,
): Promise<void> {
  const changed = await tx.stepUpIntent.updateMany({
    where: {
      id: intentId,
      userId: owner.id,
      sessionId: owner.sid,
      action: expected.action,
      status: "AUTHORISED",
      payload: expected.canonical,
      payloadHash: payloadHashOf(expected.canonical),
    },
    data: { status: "CONSUMED", consumedAt: new Date(), result: JSON.stringify(result) },
  });
  if (changed.count !== 1)
    throw new DomainError("intent_used", "This confirmation was already used or has expired. Start again.");
}

/** PENDING -> CANCELLED, by the customer or (with a reason they are shown) by a rule. */
export async function cancelIntent(
  owner: IntentOwner,
  intentId: string,
  reason: string | null = null,
): Promise<boolean> {
  const changed = await db.stepUpIntent.updateMany({
    where: { id: intentId, userId: owner.id, sessionId: owner.sid, status: "PENDING" },
    data: { status: "CANCELLED", cancelReason: reason },
  });
  return changed.count === 1;
}

export async function recordFailedAttempt(intentId: string): Promise<void> {
  await db.stepUpIntent.updateMany({ where: { id: intentId }, data: { failedAttempts: { increment: 1 } } });
}

import "server-only";
import { randomBytes } from "node:crypto";
import { canonicalJson, payloadHashOf } from "@/lib/assurance/binding";
import { auditRowOf, type AuditInput } from "@/lib/audit/log";
import { intentLimit, RateLimited } from "@/lib/assurance/lockout";
import type { Actor } from "@/lib/assurance/operation";
import type { PolicyAction } from "@/lib/assurance/policy";
import { db, type Tx } from "@/lib/db";
import { env } from "@/lib/env";
import { isSignalCode, type Signal } from "@/lib/risk/signals";
import type { Ceremony } from "@/lib/assurance/spc";
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
  /** Whether a passkey ceremony begun for it can still be answered (its challenge is unspent and unexpired). */
  challengeLive: boolean;
  /** The live challenge's ceremony, or, once authorised, the one that confirmed it (lib/assurance/spc.ts). */
  ceremony: Ceremony | null;
  createdAt: Date;
  /** The risk signals the guard saw when it asked for this step-up (lib/risk/signals.ts). */
  risk: Signal[];
};

/**
 * Stores a new pending intent; its id is unguessable (it appears in the step-up URL). `audit`, when
 * given, is the decision that asked for it: its row commits with the intent, in one transaction.
 */
export async function createIntent(
  owner: IntentOwner,
  action: PolicyAction,
  payload: Record<string, unknown>,
  audit?: (intentId: string) => AuditInput,
  risk: Signal[] = [],
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
  const data = {
    id,
    userId: owner.id,
    sessionId: owner.sid,
    action,
    payload: canonical,
    payloadHash: payloadHashOf(canonical),
    expiresAt: new Date(Date.now() + env.STEP_UP_INTENT_TTL_S * 1000),
    riskSignals: risk.length > 0 ? JSON.stringify(risk) : null,
  };
  // A batch transaction: both rows are known up front, so no interactive round trips are needed.
  if (!audit) await db.stepUpIntent.create({ data });
  else
    await db.$transaction([
      db.stepUpIntent.create({ data }),
      db.auditEvent.create({ data: await auditRowOf(audit(id)) }),
    ]);
  return id;
}

const effectiveStatus = (status: string, expiresAt: Date, now: Date): IntentStatus =>
  (status === "PENDING" || status === "AUTHORISED") && expiresAt <= now ? "EXPIRED" : (status as IntentStatus);

export const isIntentId = (id: unknown): id is string => typeof id === "string" && /^[A-Za-z0-9_-]{10,64}$/.test(id);

type IntentRow = {
  id: string;
  payload: string;
  status: string;
  failedAttempts: number;
  expiresAt: Date;
  result: string | null;
  authorisedBy: string | null;
  cancelReason: string | null;
  challengeNonce: string | null;
  challengeExpiresAt: Date | null;
  ceremony: string | null;
  createdAt: Date;
  riskSignals: string | null;
};

/** The stored signals, keeping only well-formed ones (the column is Vault's own, but JSON is JSON). */
function signalsOf(stored: string | null): Signal[] {
  if (!stored) return [];
  try {
    const parsed: unknown = JSON.parse(stored);
    return Array.isArray(parsed)
      ? parsed.filter(
          (s): s is Signal =>
            typeof s === "object" &&
            s !== null &&
            isSignalCode(s.code) &&
            (s.level === "elevated" || s.level === "high"),
        )
      : [];
  } catch {
    return [];
  }
}

function intentOf(row: IntentRow, now: Date): Intent {
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
    challengeLive: row.challengeNonce !== null && row.challengeExpiresAt !== null && row.challengeExpiresAt > now,
    ceremony: row.ceremony === "spc" || row.ceremony === "webauthn" ? row.ceremony : null,
    createdAt: row.createdAt,
    risk: signalsOf(row.riskSignals),
  };
}

/** The intent, if it belongs to this user and this session; anyone else gets null ("not found"). */
export async function findIntent(owner: IntentOwner, intentId: unknown, now = new Date()): Promise<Intent | null> {
  if (!isIntentId(intentId)) return null;
  const row = await db.stepUpIntent.findFirst({ where: { id: intentId, userId: owner.id, sessionId: owner.sid } });
  return row ? intentOf(row, now) : null;
}

/**
 * Starts a passkey ceremony for a pending intent: `nonce` becomes its one live challenge (any earlier
 * one is replaced), for `ttlMs` and never past the intent's own expiry. One UPDATE … RETURNING; null
 * when the intent isn't this owner's, pending and live (findIntent then says which).
 */
export async function issueChallenge(
  owner: IntentOwner,
  intentId: unknown,
  nonce: string,
  ttlMs: number,
  ceremony: Ceremony = "webauthn",
  now = new Date(),
): Promise<Intent | null> {
  if (!isIntentId(intentId)) return null;
  const [row] = await db.stepUpIntent.updateManyAndReturn({
    where: { id: intentId, userId: owner.id, sessionId: owner.sid, status: "PENDING", expiresAt: { gt: now } },
    data: { challengeNonce: nonce, challengeExpiresAt: new Date(now.getTime() + ttlMs), ceremony },
  });
  return row ? intentOf(row, now) : null;
}

/**
 * PENDING -> AUTHORISED, once, before expiry, in one UPDATE … RETURNING that restates every premise:
 * - `nonce`: the passkey's challenge named this intent's live nonce, which the same write clears
 *   (single-use, however many racing requests carry the same assertion);
 * - `ceremony`: with a nonce, the assertion's ceremony is the one the challenge was issued for (an
 *   SPC challenge can't be answered by a plain WebAuthn assertion, nor the other way round);
 * - `canonical`: the stored intent is still exactly the one that was confirmed, byte for byte.
 * `finish` goes straight to CONSUMED, for an operation that has nothing left to run ("revisit").
 * Returns the intent as authorised, or null when any premise no longer holds.
 */
export async function authoriseIntentIn(
  client: Tx | typeof db,
  owner: IntentOwner,
  intentId: string,
  how: { nonce?: string; ceremony?: Ceremony; canonical?: string; authorisedBy: string | null; finish?: boolean },
  now = new Date(),
): Promise<Intent | null> {
  const [row] = await client.stepUpIntent.updateManyAndReturn({
    where: {
      id: intentId,
      userId: owner.id,
      sessionId: owner.sid,
      status: "PENDING",
      expiresAt: { gt: now },
      ...(how.nonce !== undefined
        ? { challengeNonce: how.nonce, challengeExpiresAt: { gt: now }, ceremony: how.ceremony ?? "webauthn" }
        : {}),
      ...(how.canonical !== undefined ? { payload: how.canonical, payloadHash: payloadHashOf(how.canonical) } : {}),
    },
    data: {
      status: how.finish ? "CONSUMED" : "AUTHORISED",
      authorisedAt: now,
      authorisedBy: how.authorisedBy,
      // What confirmed it: a passkey's ceremony, or none (the IdP), whatever was begun before.
      ceremony: how.nonce !== undefined ? (how.ceremony ?? "webauthn") : null,
      challengeNonce: null,
      challengeExpiresAt: null,
      ...(how.finish ? { consumedAt: now, result: "{}" } : {}),
    },
  });
  if (!row) return null;
  if (row.payloadHash !== payloadHashOf(row.payload)) throw new Error(`intent ${row.id}: payload and hash disagree`);
  return intentOf(row, now);
}

/** authoriseIntentIn for a known payload, outside any transaction (tests that confirm an intent directly). */
export async function authoriseIntent(
  owner: IntentOwner,
  intentId: string,
  verifiedCanonical: string,
  authorisedBy: string | null = null,
  now = new Date(),
): Promise<boolean> {
  return (await authoriseIntentIn(db, owner, intentId, { canonical: verifiedCanonical, authorisedBy }, now)) !== null;
}

/**
 * AUTHORISED -> CONSUMED inside the operation's own transaction: if the operation fails, the intent
 * stays authorised; if two completions race, exactly one consumes it and the other rolls back. An
 * operation with nothing else to run ("revisit") passes `db`: the one conditional write is atomic alone.
 */
export async function consumeIntent(
  tx: Tx | typeof db,
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

/** Spends the intent's live challenge, if any, without authorising anything (a confirmation a rule refused). */
export async function spendChallenge(intentId: string): Promise<void> {
  await db.stepUpIntent.updateMany({
    where: { id: intentId },
    data: { challengeNonce: null, challengeExpiresAt: null },
  });
}

/** A failed confirmation: counted on the intent, and its live challenge (if any) is spent. */
export async function recordFailedAttempt(intentId: string): Promise<void> {
  await db.stepUpIntent.updateMany({
    where: { id: intentId },
    data: { failedAttempts: { increment: 1 }, challengeNonce: null, challengeExpiresAt: null },
  });
}

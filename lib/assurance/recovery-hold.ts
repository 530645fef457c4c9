import "server-only";
import { RECOVERY_COOLING_OFF_S } from "@/lib/assurance/policy";
import { db, type Tx } from "@/lib/db";
import { formatWhen } from "@/lib/time-zone";

/**
 * The cooling-off period after a recovery-code sign-in, kept on the user (not the session), so every
 * session and every app instance holds the same actions (policy.heldAfterRecovery).
 */
export type RecoveryHold = { startedAt: Date; until: Date };

/** The hold in force at `now`, or null. Rows from before the start was stored count from until − 24 h. */
export function holdOf(
  row: { recoveryHoldUntil: Date | null; recoveryHoldStartedAt: Date | null } | null,
  now: Date = new Date(),
): RecoveryHold | null {
  const until = row?.recoveryHoldUntil ?? null;
  if (!until || until <= now) return null;
  return { until, startedAt: row?.recoveryHoldStartedAt ?? new Date(until.getTime() - RECOVERY_COOLING_OFF_S * 1000) };
}

export const HOLD_COLUMNS = { recoveryHoldUntil: true, recoveryHoldStartedAt: true } as const;

export async function recoveryHoldOf(
  userId: string,
  now: Date = new Date(),
  client: Tx | typeof db = db,
): Promise<RecoveryHold | null> {
  return holdOf(await client.user.findUnique({ where: { id: userId }, select: HOLD_COLUMNS }), now);
}

/**
 * Starts the cooling-off period, or extends one in force; returns it. The start never moves while a
 * hold is on: a second recovery sign-in must not make a passkey enrolled after the first one look
 * older than the hold (that would let a thief with two codes confirm what the hold protects).
 * Every confirmation still pending is cancelled: it was asked for before the recovery, perhaps by
 * whoever used the code, and must not complete during the hold (README "Account recovery").
 */
export async function startRecoveryHold(
  tx: Tx,
  userId: string,
  now: Date,
): Promise<RecoveryHold & { cancelledIntents: number }> {
  const current = await recoveryHoldOf(userId, now, tx);
  const hold = { startedAt: current?.startedAt ?? now, until: new Date(now.getTime() + RECOVERY_COOLING_OFF_S * 1000) };
  await tx.user.update({
    where: { id: userId },
    data: { recoveryHoldUntil: hold.until, recoveryHoldStartedAt: hold.startedAt },
  });
  const { count } = await tx.stepUpIntent.updateMany({
    where: { userId, status: { in: ["PENDING", "AUTHORISED"] }, expiresAt: { gt: now } },
    data: { status: "CANCELLED", cancelReason: "recovery_sign_in" },
  });
  return { ...hold, cancelledIntents: count };
}

/** "Nov 29, 2026, 1:15 AM GMT+1": in the customer's time zone (lib/request-time-zone.ts), naming it. */
export const formatHoldEnd = (until: Date, timeZone: string) => formatWhen(until, timeZone);

export const heldMessage = (until: Date, timeZone: string) =>
  `You signed in with a recovery code, so for your safety this is on hold until ${formatHoldEnd(until, timeZone)}. Small payments to payees you've paid before still work.`;

export const enrolledDuringHoldMessage = (until: Date, timeZone: string) =>
  `A passkey added after a recovery sign-in can't confirm this until ${formatHoldEnd(until, timeZone)}. Use a passkey you had before, or try again then.`;

export const cancelledByRecoveryMessage =
  "This was cancelled because someone signed in to your account with a recovery code. Nothing was sent or changed. If that was you, start again; if not, review your security settings now.";

/**
 * What confirmed an intent, as stored on it (StepUpIntent.authorisedBy): a passkey by credential id,
 * or the customer's IdP.
 */
export type Confirmer = { kind: "passkey"; passkeyId: string } | { kind: "sso" };
export const confirmerKey = (c: Confirmer) => (c.kind === "passkey" ? `passkey:${c.passkeyId}` : "sso");
export const confirmerOf = (key: string | null): Confirmer | null =>
  key?.startsWith("passkey:")
    ? { kind: "passkey", passkeyId: key.slice("passkey:".length) }
    : key === "sso"
      ? { kind: "sso" }
      : null;

/**
 * During a hold, whether this confirmer may confirm what the hold protects (policy.boundAfterRecovery):
 * a passkey enrolled before the hold began (a removed or unknown passkey may not), or the IdP, whose
 * account a recovery code doesn't open. Outside a hold, anything may.
 */
export async function mayConfirmDuringHold(
  userId: string,
  confirmer: Confirmer | null,
  hold: RecoveryHold | null,
  client: Tx | typeof db = db,
): Promise<boolean> {
  if (!hold) return true;
  if (!confirmer) return false;
  if (confirmer.kind === "sso") return true;
  const passkey = await client.passkey.findFirst({
    where: { id: confirmer.passkeyId, userId },
    select: { createdAt: true },
  });
  return passkey !== null && passkey.createdAt < hold.startedAt;
}

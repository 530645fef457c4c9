import "server-only";
import { RECOVERY_COOLING_OFF_S } from "@/lib/assurance/policy";
import { db, type Tx } from "@/lib/db";

/**
 * The cooling-off period after a recovery-code sign-in, kept on the user (not the session), so every
 * session and every app instance holds the same actions (policy.heldAfterRecovery).
 */
export async function recoveryHoldOf(userId: string, now: Date = new Date()): Promise<Date | null> {
  const row = await db.user.findUnique({ where: { id: userId }, select: { recoveryHoldUntil: true } });
  const until = row?.recoveryHoldUntil ?? null;
  return until && until > now ? until : null;
}

/** Starts (or restarts) the cooling-off period; returns when it ends. */
export async function startRecoveryHold(tx: Tx, userId: string, now: Date): Promise<Date> {
  const until = new Date(now.getTime() + RECOVERY_COOLING_OFF_S * 1000);
  await tx.user.update({ where: { id: userId }, data: { recoveryHoldUntil: until } });
  return until;
}

/** "23 Nov 2026, 14:05 UTC": the server can't know the customer's time zone, so it says which it uses. */
export const formatHoldEnd = (until: Date) =>
  `${new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit", timeZone: "UTC" }).format(until)} UTC`;

export const heldMessage = (until: Date) =>
  `You signed in with a recovery code, so for your safety this is on hold until ${formatHoldEnd(until)}. Small payments to payees you've paid before still work.`;

/**
 * For policies marked boundAfterRecovery: when the cooling-off is on and the passkey that just
 * confirmed was enrolled after it began, when the hold ends; otherwise null.
 */
export async function enrolledDuringHold(userId: string, passkeyEnrolledAt: Date, now: Date = new Date()): Promise<Date | null> {
  const until = await recoveryHoldOf(userId, now);
  if (!until) return null;
  const began = new Date(until.getTime() - RECOVERY_COOLING_OFF_S * 1000);
  return passkeyEnrolledAt >= began ? until : null;
}

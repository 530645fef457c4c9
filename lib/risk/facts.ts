import "server-only";
import type { Actor } from "@/lib/assurance/operation";
import { db, type Tx } from "@/lib/db";
import type { PastPayment, RiskFacts } from "@/lib/risk/signals";
import { RISK } from "@/lib/risk/thresholds";

/** Earlier sign-ins whose networks count as "seen", at most this many (the newest). */
const SEEN_SESSIONS = 100;
/** Payments the amount and velocity signals look back over, at most this many (the newest). */
const HISTORY_PAYMENTS = 1000;

/**
 * The facts about the actor's situation, from Vault's own data: the device (a browser's cookie, known
 * for this customer or not), the networks of the sign-in and of earlier sign-ins, the sign-in's age,
 * and the customer's last security changes. Three reads, only when a policy decides on risk or a
 * step-up is being asked for (lib/assurance/guard.ts), never on the hot path of an allowed action.
 *
 * An actor without a browser context (an API client) has no device, sign-in or address to judge:
 * those signals say nothing for it, and its risk rests on the rest (docs/risk.md, "Limits").
 */
export async function contextFacts(actor: Actor, now: Date = new Date()): Promise<Omit<RiskFacts, "payment">> {
  const ctx = actor.context;
  const since = new Date(now.getTime() - RISK.network.lookbackS * 1000);
  const [device, user, earlier] = await Promise.all([
    ctx?.deviceId
      ? db.knownDevice.findUnique({
          where: { userId_deviceId: { userId: actor.id, deviceId: ctx.deviceId } },
          select: { lastProvedAt: true },
        })
      : null,
    db.user.findUnique({
      where: { id: actor.id },
      select: {
        createdAt: true,
        passwordChangedAt: true,
        recoveryHoldStartedAt: true,
        passkeys: { select: { createdAt: true }, orderBy: { createdAt: "desc" }, take: 1 },
        payees: { select: { createdAt: true }, orderBy: { createdAt: "desc" }, take: 1 },
        payoutDestination: { select: { updatedAt: true } },
      },
    }),
    ctx?.ip
      ? db.session.findMany({
          where: { userId: actor.id, id: { not: actor.sid }, createdAt: { gte: since, lt: ctx.signedInAt } },
          select: { ip: true },
          orderBy: { createdAt: "desc" },
          take: SEEN_SESSIONS,
        })
      : [],
  ]);
  const ms = (d: Date | null | undefined) => (d ? d.getTime() : null);
  // The password set at sign-up is not a change.
  const passwordChanged =
    user && user.passwordChangedAt.getTime() - user.createdAt.getTime() > 1000 ? user.passwordChangedAt : null;
  return {
    now: now.getTime(),
    device: ctx ? { known: device !== null, lastProvedAt: ms(device?.lastProvedAt) } : null,
    network: {
      current: ctx?.ip ?? null,
      atSignIn: ctx?.signInIp ?? null,
      seenBefore: earlier.flatMap((s) => (s.ip ? [s.ip] : [])),
    },
    session: ctx ? { startedAt: ctx.signedInAt.getTime() } : null,
    changes: {
      passwordChangedAt: ms(passwordChanged),
      passkeyAddedAt: ms(user?.passkeys[0]?.createdAt),
      recoverySignInAt: ms(user?.recoveryHoldStartedAt),
      payeeAddedAt: ms(user?.payees[0]?.createdAt),
      payoutChangedAt: ms(user?.payoutDestination?.updatedAt),
    },
  };
}

/**
 * A payment's own facts: the payee's history and the customer's payments to payees over the
 * look-back (one read), for the amount, velocity and payee signals.
 */
export async function paymentFacts(
  userId: string,
  payee: { id: string; createdAt: Date; firstPaidAt: Date | null },
  amountMinor: bigint,
  now: Date = new Date(),
  client: Tx | typeof db = db,
): Promise<NonNullable<RiskFacts["payment"]>> {
  const rows = await client.transfer.findMany({
    where: {
      userId,
      payeeId: { not: null },
      createdAt: { gte: new Date(now.getTime() - RISK.history.lookbackS * 1000) },
    },
    select: { amount: true, createdAt: true, payeeId: true },
    orderBy: { createdAt: "desc" },
    take: HISTORY_PAYMENTS,
  });
  const history: PastPayment[] = rows.map((r) => ({ amountMinor: r.amount, at: r.createdAt.getTime() }));
  const toThisPayee = rows.filter((r) => r.payeeId === payee.id).length;
  return {
    amountMinor,
    // Paid before the look-back only: once, as far as these signals are concerned.
    payee: { id: payee.id, addedAt: payee.createdAt.getTime(), timesPaid: toThisPayee || (payee.firstPaidAt ? 1 : 0) },
    history,
  };
}

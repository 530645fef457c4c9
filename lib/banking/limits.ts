import "server-only";
import { z } from "zod";
import { defineOperation } from "@/lib/assurance/operation";
import { recordAudit } from "@/lib/audit/log";
import { requireUser } from "@/lib/auth/current-user";
import { db, type Tx } from "@/lib/db";
import { DomainError, InputError } from "@/lib/errors";
import { formatMoney, parseAmount, toDecimalString, type Currency } from "@/lib/money";

/** The daily limit's bounds: at least $1.00 and at most $50,000.00 (larger payments need a branch). */
export const DAILY_LIMIT_MIN_MINOR = 100n;
export const DAILY_LIMIT_MAX_MINOR = 5_000_000n;
const CURRENCY: Currency = "USD";
const DAY_MS = 24 * 60 * 60 * 1000;

/** What payments to payees have moved in the rolling 24 hours before now, in minor units. */
async function paidLast24h(userId: string, client: Tx | typeof db): Promise<bigint> {
  const sum = await client.transfer.aggregate({
    where: { userId, payeeId: { not: null }, createdAt: { gte: new Date(Date.now() - DAY_MS) } },
    _sum: { amount: true },
  });
  return sum._sum.amount ?? 0n;
}

/**
 * Refuses a payment that would take the customer past their daily limit. Checked before any passkey
 * is asked for, and again inside the payment's transaction after its row lock (lib/banking/transfers.ts),
 * so racing payments can't all fit under it.
 */
export async function checkDailyLimit(
  userId: string,
  amount: bigint,
  currency: Currency,
  client: Tx | typeof db = db,
): Promise<void> {
  const [user, paid] = await Promise.all([
    client.user.findUnique({ where: { id: userId }, select: { dailyLimitMinor: true } }),
    paidLast24h(userId, client),
  ]);
  const limit = user?.dailyLimitMinor ?? 0n;
  if (paid + amount <= limit) return;
  const left = limit > paid ? limit - paid : 0n;
  throw new DomainError(
    "daily_limit",
    `This would take you over your daily limit of ${formatMoney(limit, currency)}: you can send ${formatMoney(left, currency)} more today. You can change the limit in Settings.`,
    "amount",
  );
}

export type DailyLimitView = { limitMinor: bigint; usedMinor: bigint; currency: Currency };

/** The signed-in customer's daily limit and what the last 24 hours used of it. */
export async function getMyDailyLimit(): Promise<DailyLimitView> {
  return getDailyLimitFor(await requireUser());
}

/** The same for a customer the caller authenticated. */
export async function getDailyLimitFor(user: { id: string }): Promise<DailyLimitView> {
  const [row, used] = await Promise.all([
    db.user.findUnique({ where: { id: user.id }, select: { dailyLimitMinor: true } }),
    paidLast24h(user.id, db),
  ]);
  return { limitMinor: row?.dailyLimitMinor ?? 0n, usedMinor: used, currency: CURRENCY };
}

/**
 * Changes the daily payment limit. The direction picks the policy: raising it is "limit.raise" (a
 * passkey for this very change, PSD2 RTS Art. 5 dynamic linking: a thief with a session can't lift
 * the cap on what they can take), lowering it is "limit.lower" (no step-up: it only protects).
 * The payload names the old limit too, so a change made elsewhere meanwhile voids the confirmation.
 */
export const limitChange = defineOperation({
  policies: ["limit.raise", "limit.lower"],
  input: z.object({
    limit: z
      .string({ error: "Enter a daily limit." })
      .trim()
      .min(1, "Enter a daily limit.")
      .max(32, "That amount is too long."),
  }),
  async prepare(actor, input) {
    const parsed = parseAmount(input.limit, CURRENCY);
    if (!parsed.ok) throw new InputError({ limit: parsed.message });
    if (parsed.amount < DAILY_LIMIT_MIN_MINOR || parsed.amount > DAILY_LIMIT_MAX_MINOR) {
      throw new InputError({
        limit: `Choose a limit from ${formatMoney(DAILY_LIMIT_MIN_MINOR, CURRENCY)} to ${formatMoney(DAILY_LIMIT_MAX_MINOR, CURRENCY)}.`,
      });
    }
    const row = await db.user.findUnique({ where: { id: actor.id }, select: { dailyLimitMinor: true } });
    const current = row?.dailyLimitMinor ?? 0n;
    if (parsed.amount === current) throw new InputError({ limit: "That is already your daily limit." });
    const payload = {
      from: toDecimalString(current, CURRENCY),
      to: toDecimalString(parsed.amount, CURRENCY),
      currency: CURRENCY,
    };
    return {
      action: parsed.amount > current ? "limit.raise" : "limit.lower",
      payload,
      carry: { from: current, to: parsed.amount },
    };
  },
  inputOf: (p) => ({ limit: p.to }),
  describe: (p) => ({
    title: `Change your daily payment limit to ${money(p.to)}`,
    details: [
      ["Daily limit now", money(p.from)],
      ["New daily limit", money(p.to)],
    ],
    after: "The new limit applies to payments as soon as you confirm.",
    backTo: "/settings/limits",
  }),
  async run(tx, actor, { carry }) {
    // Only from the limit the customer saw: a change made meanwhile makes this one fail, not stack.
    const changed = await tx.user.updateMany({
      where: { id: actor.id, dailyLimitMinor: carry.from },
      data: { dailyLimitMinor: carry.to },
    });
    if (changed.count !== 1)
      throw new DomainError(
        "limit_changed",
        "Your daily limit was changed elsewhere meanwhile. Check it and try again.",
        "limit",
      );
    await recordAudit(
      {
        userId: actor.id,
        action: "limit.change",
        outcome: "SUCCESS",
        metadata: { from: carry.from.toString(), to: carry.to.toString(), currency: CURRENCY },
      },
      tx,
    );
    return { limitMinor: carry.to };
  },
  record: (r) => ({ limit: r.limitMinor.toString() }),
  resume: { kind: "run", to: () => "/settings/limits?saved=1", label: "View your limit" },
  success: "Daily limit changed.",
  audit: { action: "limit.change", label: "Daily payment limit changed" },
  example: () => ({ limit: "7500.00" }),
});

function money(decimal: string): string {
  const parsed = parseAmount(decimal, CURRENCY);
  return parsed.ok ? formatMoney(parsed.amount, CURRENCY) : decimal;
}

import "server-only";
import { Prisma } from "@/lib/generated/sqlite/client";
import { requireUser } from "@/lib/auth/current-user";
import { db } from "@/lib/db";
import type { Currency } from "@/lib/money";

const DAY_MS = 24 * 60 * 60 * 1000;

/** The ranges the dashboard offers; anything else in the URL falls back to the first. */
export const HISTORY_RANGES = [30, 90] as const;
export type HistoryRange = (typeof HISTORY_RANGES)[number];

export function parseRange(value: unknown): HistoryRange {
  return HISTORY_RANGES.find((r) => String(r) === value) ?? HISTORY_RANGES[0];
}

/** One point per UTC day: the closing balance, or null before the account had any entry. */
export type BalancePoint = { day: Date; balance: bigint | null };
export type BalanceHistory = { accountId: string; currency: Currency; points: BalancePoint[] };

/**
 * The ends of the last `days` UTC days, oldest first; the last "end" is `now` itself, so the final
 * point is today's balance so far.
 */
export function dayEnds(days: number, now: Date): Date[] {
  const startOfToday = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const ends: Date[] = [];
  for (let back = days - 1; back >= 1; back--) ends.push(new Date(startOfToday - (back - 1) * DAY_MS));
  ends.push(now);
  return ends;
}

/**
 * Each of the signed-in customer's accounts, with its balance at the close of each of the last
 * `days` days, drawn from the ledger.
 *
 * Every ledger entry records the balance right after it (`balanceAfter`), so a day's closing balance
 * is the `balanceAfter` of the account's last entry before the day ended: one backwards seek on the
 * (accountId, createdAt) index per point. The cost is days × log(entries), whatever the account's
 * history or how busy it was in the window; summing the window's entries instead would read every
 * one of them on each dashboard view (`npm run bench`'s scaling part seeds 100,000 entries into the
 * last 90 days to keep this honest). One SQL statement per account, so one round trip each.
 */
export async function getMyBalanceHistory(days: HistoryRange): Promise<BalanceHistory[]> {
  const user = await requireUser();
  return balanceHistoryFor(user.id, days, new Date());
}

/** The same for a given customer; callers have authenticated them (the dashboard, via getMyBalanceHistory). */
export async function balanceHistoryFor(userId: string, days: number, now: Date): Promise<BalanceHistory[]> {
  const accounts = await db.account.findMany({
    where: { userId },
    orderBy: { createdAt: "asc" },
    select: { id: true, currency: true },
  });
  const ends = dayEnds(days, now);
  return Promise.all(
    accounts.map(async (account) => {
      const closes = ends.map(
        (end, i) =>
          Prisma.sql`SELECT ${i} AS "i", (SELECT "balanceAfter" FROM "LedgerEntry" WHERE "accountId" = ${account.id} AND "createdAt" < ${end} ORDER BY "createdAt" DESC LIMIT 1) AS "b"`,
      );
      const rows = await db.$queryRaw<
        { i: number | bigint; b: bigint | number | string | null }[]
      >`${Prisma.join(closes, " UNION ALL ")}`;
      const byIndex = new Map(rows.map((row) => [Number(row.i), row.b === null ? null : BigInt(row.b)]));
      return {
        accountId: account.id,
        currency: account.currency as Currency,
        points: ends.map((end, i) => ({ day: end, balance: byIndex.get(i) ?? null })),
      };
    }),
  );
}

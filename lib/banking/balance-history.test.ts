import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import fc from "fast-check";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/test-db";

const DAY_MS = 24 * 60 * 60 * 1000;
const NOW = new Date(Date.UTC(2026, 10, 23, 15, 30)); // a fixed afternoon, so day boundaries are known

let testDb: TestDatabase;
let db: typeof import("@/lib/db").db;
let history: typeof import("@/lib/banking/balance-history");
let opening: typeof import("@/lib/banking/opening");
let ledger: typeof import("@/lib/banking/ledger");

/** A customer whose accounts opened `openedDaysAgo` days before NOW, with the default opening deposits. */
async function customerOpened(openedDaysAgo: number) {
  const at = new Date(NOW.getTime() - openedDaysAgo * DAY_MS);
  return db.$transaction(async (tx) => {
    const user = await tx.user.create({
      data: { name: "Chart", email: `chart-${randomUUID()}@example.com`, passwordHash: "not-used-here", createdAt: at },
    });
    const [checking, savings] = await opening.openDefaultAccounts(tx, user.id, at);
    return { userId: user.id, checking: checking.id, savings: savings.id };
  });
}

async function move(userId: string, from: string, to: string, amount: bigint, at: Date) {
  await db.$transaction((tx) =>
    ledger.postTransfer(tx, {
      userId,
      fromAccountId: from,
      toAccountId: to,
      amount,
      currency: "USD",
      idempotencyKey: randomUUID(),
      at,
    }),
  );
}

/** The closing balance by definition: every entry before the end of the day, summed. */
async function naiveClose(accountId: string, end: Date): Promise<bigint | null> {
  const entries = await db.ledgerEntry.findMany({
    where: { accountId, createdAt: { lt: end } },
    select: { amount: true },
  });
  return entries.length === 0 ? null : entries.reduce((sum, e) => sum + e.amount, 0n);
}

before(async () => {
  testDb = await createTestDatabase();
  ({ db } = await import("@/lib/db"));
  history = await import("@/lib/banking/balance-history");
  opening = await import("@/lib/banking/opening");
  ledger = await import("@/lib/banking/ledger");
});
after(async () => {
  await db.$disconnect();
  await testDb.drop();
});

describe("balance history", () => {
  it("has one point per UTC day, the last being now; days before the account opened are empty", async () => {
    const c = await customerOpened(10);
    await move(c.userId, c.checking, c.savings, 12_345n, new Date(NOW.getTime() - 3 * DAY_MS)); // 3 days ago, 15:30
    const [checking, savings] = await history.balanceHistoryFor(c.userId, 30, NOW);
    assert.equal(checking.accountId, c.checking);
    assert.equal(checking.points.length, 30);
    assert.equal(checking.points.at(-1)!.day.getTime(), NOW.getTime());
    assert.equal(checking.points.at(-2)!.day.toISOString(), "2026-11-23T00:00:00.000Z"); // yesterday's close
    // Opened 10 days ago at 15:30: that day's close is the first with a balance.
    const firstWithBalance = checking.points.findIndex((p) => p.balance !== null);
    assert.equal(checking.points[firstWithBalance].day.toISOString(), "2026-11-14T00:00:00.000Z");
    assert.equal(checking.points[firstWithBalance].balance, 250_000n);
    assert.equal(checking.points.at(-1)!.balance, 250_000n - 12_345n);
    assert.equal(savings.points.at(-1)!.balance, 1_000_000n + 12_345n);
    // The close 4 days ago is before the move; 3 days ago (at 00:00 on the day after) is after it.
    assert.equal(checking.points.at(-5)!.balance, 250_000n);
    assert.equal(checking.points.at(-3)!.balance, 250_000n - 12_345n);
  });

  it("matches the sum of the ledger at every point, for any sequence of transfers", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            daysAgo: fc.integer({ min: 0, max: 40 }),
            minutes: fc.integer({ min: 0, max: 23 * 60 }),
            cents: fc.integer({ min: 1, max: 50_000 }),
            back: fc.boolean(),
          }),
          { maxLength: 12 },
        ),
        async (moves) => {
          const c = await customerOpened(45);
          const ordered = moves
            .map((m) => ({ ...m, at: new Date(Date.UTC(2026, 10, 23) - m.daysAgo * DAY_MS + m.minutes * 60_000) }))
            .filter((m) => m.at < NOW)
            .sort((a, b) => a.at.getTime() - b.at.getTime());
          for (const m of ordered) {
            const [from, to] = m.back ? [c.savings, c.checking] : [c.checking, c.savings];
            await move(c.userId, from, to, BigInt(m.cents), m.at).catch(() => {}); // an overdraft is refused; that's fine here
          }
          for (const account of await history.balanceHistoryFor(c.userId, 30, NOW)) {
            for (const point of account.points)
              assert.equal(point.balance, await naiveClose(account.accountId, point.day));
          }
        },
      ),
      { numRuns: 8 },
    );
  });

  it("shows only the customer's own accounts", async () => {
    const a = await customerOpened(5);
    const b = await customerOpened(5);
    const ids = (await history.balanceHistoryFor(a.userId, 30, NOW)).map((h) => h.accountId);
    assert.deepEqual(ids.sort(), [a.checking, a.savings].sort());
    assert.ok(!ids.includes(b.checking));
  });

  it("reads the range from the URL, falling back to 30 days", () => {
    assert.equal(history.parseRange("90"), 90);
    assert.equal(history.parseRange("30"), 30);
    for (const bad of [undefined, "", "7", "90; drop", ["90"], "0x5a"]) assert.equal(history.parseRange(bad), 30);
  });
});

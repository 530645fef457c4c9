/**
 * The books, checked by SQL straight on the database (never through the app), on SQLite or PostgreSQL.
 * Each check returns the offending rows, so a failure names exactly what broke.
 */
import type { Sql } from "../support/sql";

export type LedgerFigures = { accounts: number; transfers: number; entries: number; customerMoney: bigint };

export type InvariantReport = { figures: LedgerFigures; violations: string[] };

const show = (rows: unknown[]) =>
  JSON.stringify(rows, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v)).slice(0, 600);

export async function checkLedger(sql: Sql): Promise<InvariantReport> {
  const violations: string[] = [];
  const expectNone = async (what: string, query: string) => {
    const rows = await sql.all(query);
    if (rows.length > 0) violations.push(`${what}: ${rows.length} row(s) ${show(rows)}`);
  };

  // Double entry: every currency's entries sum to zero, and so do all balances.
  await expectNone(
    "ledger entries of a currency don't sum to 0",
    `SELECT a."currency", SUM(e."amount") AS total FROM "LedgerEntry" e JOIN "Account" a ON a."id" = e."accountId"
     GROUP BY a."currency" HAVING SUM(e."amount") <> 0`,
  );
  await expectNone(
    "balances of a currency don't sum to 0",
    `SELECT "currency", SUM("balance") AS total FROM "Account" GROUP BY "currency" HAVING SUM("balance") <> 0`,
  );
  // The stored balance is a cache of the entries: it must equal their sum, to the minor unit.
  await expectNone(
    "an account's balance differs from the sum of its entries",
    `SELECT a."id", a."balance", COALESCE(SUM(e."amount"), 0) AS entries FROM "Account" a LEFT JOIN "LedgerEntry" e ON e."accountId" = a."id"
     GROUP BY a."id", a."balance" HAVING a."balance" <> COALESCE(SUM(e."amount"), 0)`,
  );
  // Only the bank's internal accounts may go below zero.
  await expectNone(
    "a customer account is negative",
    `SELECT "id", "balance" FROM "Account" WHERE "userId" IS NOT NULL AND "balance" < 0`,
  );
  // A transfer is whole: exactly a debit of its source and a credit of its destination, by its amount.
  await expectNone(
    "a transfer doesn't have exactly its two entries",
    `SELECT t."id", COUNT(e."id") AS n FROM "Transfer" t LEFT JOIN "LedgerEntry" e ON e."transferId" = t."id"
     GROUP BY t."id", t."amount", t."fromAccountId", t."toAccountId"
     HAVING COUNT(e."id") <> 2
        OR SUM(CASE WHEN e."accountId" = t."fromAccountId" AND e."amount" = -t."amount" THEN 1 ELSE 0 END) <> 1
        OR SUM(CASE WHEN e."accountId" = t."toAccountId" AND e."amount" = t."amount" THEN 1 ELSE 0 END) <> 1`,
  );
  // Idempotency: one transfer per (user, key).
  await expectNone(
    "two transfers share a user and idempotency key",
    `SELECT "userId", "idempotencyKey", COUNT(*) AS n FROM "Transfer" GROUP BY "userId", "idempotencyKey" HAVING COUNT(*) > 1`,
  );

  const [counts] = await sql.all<{
    accounts: bigint;
    transfers: bigint;
    entries: bigint;
    customer_money: bigint | null;
  }>(
    `SELECT (SELECT COUNT(*) FROM "Account") AS accounts, (SELECT COUNT(*) FROM "Transfer") AS transfers,
            (SELECT COUNT(*) FROM "LedgerEntry") AS entries, (SELECT SUM("balance") FROM "Account" WHERE "userId" IS NOT NULL) AS customer_money`,
  );
  return {
    figures: {
      accounts: Number(counts.accounts),
      transfers: Number(counts.transfers),
      entries: Number(counts.entries),
      customerMoney: counts.customer_money ?? 0n,
    },
    violations,
  };
}

/** The transfers in the database, by id, with their idempotency key (to match responses to rows). */
export async function transferKeys(sql: Sql): Promise<Map<string, string>> {
  const rows = await sql.all<{ id: string; idempotencyKey: string }>(`SELECT "id", "idempotencyKey" FROM "Transfer"`);
  return new Map(rows.map((r) => [r.id, r.idempotencyKey]));
}

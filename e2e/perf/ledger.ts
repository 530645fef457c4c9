/**
 * For the scaling run: grow the ledger to N entries behind the app's back (plain SQL, batched, in one
 * transaction), keeping every invariant checkLedger() checks; and the query plans of the reads that
 * must stay indexed as the ledger grows.
 */
import { randomBytes } from "node:crypto";
import type { Sql } from "../support/sql";

const BATCH = 400; // rows per INSERT: well under SQLite's and PostgreSQL's bound-parameter limits
const DAY_MS = 86_400_000;

const id = () => `bench${randomBytes(10).toString("hex")}`;
const reference = () => `BEN-${randomBytes(6).toString("hex").toUpperCase()}`;

async function insertRows(sql: Sql, table: string, columns: string[], rows: unknown[][]) {
  for (let i = 0; i < rows.length; i += BATCH) {
    const batch = rows.slice(i, i + BATCH);
    const values = batch.map(() => `(${columns.map(() => "?").join(", ")})`).join(", ");
    await sql.all(
      `INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(", ")}) VALUES ${values}`,
      ...batch.flat(),
    );
  }
}

/**
 * Adds $0.01 transfers back and forth between one customer's two accounts until the ledger holds at
 * least `target` entries, spread over the last 90 days. Pairs cancel out, so balances (and the sum of
 * each account's entries) are unchanged. Returns the number of entries afterwards.
 */
export async function growLedger(
  sql: Sql,
  owner: { userId: string; accounts: [string, string] },
  target: number,
): Promise<number> {
  const [{ n }] = await sql.all<{ n: bigint }>(`SELECT COUNT(*) AS n FROM "LedgerEntry"`);
  const pairs = Math.ceil(Math.max(0, target - Number(n)) / 4);
  if (pairs === 0) return Number(n);
  const balances = await sql.all<{ id: string; balance: bigint }>(
    `SELECT "id", "balance" FROM "Account" WHERE "id" IN (?, ?)`,
    ...owner.accounts,
  );
  const balance = new Map(balances.map((b) => [b.id, b.balance]));
  const transfers: unknown[][] = [];
  const entries: unknown[][] = [];
  const start = Date.now() - 90 * DAY_MS;
  const step = (89 * DAY_MS) / (pairs * 2);
  for (let i = 0; i < pairs * 2; i++) {
    const [from, to] = i % 2 === 0 ? owner.accounts : [owner.accounts[1], owner.accounts[0]];
    const at = new Date(start + i * step).toISOString();
    const transferId = id();
    transfers.push([
      transferId,
      reference(),
      owner.userId,
      from,
      to,
      1n,
      "USD",
      "bench",
      `bench-${transferId}`,
      "NONE",
      at,
    ]);
    balance.set(from, balance.get(from)! - 1n);
    balance.set(to, balance.get(to)! + 1n);
    entries.push(
      [id(), transferId, from, -1n, balance.get(from)!, at],
      [id(), transferId, to, 1n, balance.get(to)!, at],
    );
  }
  await sql.all("BEGIN");
  try {
    await insertRows(
      sql,
      "Transfer",
      [
        "id",
        "reference",
        "userId",
        "fromAccountId",
        "toAccountId",
        "amount",
        "currency",
        "memo",
        "idempotencyKey",
        "sca",
        "createdAt",
      ],
      transfers,
    );
    await insertRows(
      sql,
      "LedgerEntry",
      ["id", "transferId", "accountId", "amount", "balanceAfter", "createdAt"],
      entries,
    );
    await sql.all("COMMIT");
  } catch (err) {
    await sql.all("ROLLBACK");
    throw err;
  }
  // Fresh statistics, as autovacuum (PostgreSQL) or `PRAGMA optimize` (SQLite) would keep them.
  for (const table of ["Transfer", "LedgerEntry"]) await sql.all(`ANALYZE "${table}"`);
  const [after] = await sql.all<{ n: bigint }>(`SELECT COUNT(*) AS n FROM "LedgerEntry"`);
  return Number(after.n);
}

/**
 * The reads behind the dashboard, the activity page and an account's statement, in the shape Prisma
 * sends them (lib/banking), with their plans. `indexed` is false when a plan scans a whole table.
 */
export async function explainHotQueries(sql: Sql, userId: string, accountId: string) {
  const queries: Record<string, [string, unknown[]]> = {
    "recent activity (lib/banking/activity.ts listMyRecentActivity)": [
      `SELECT "id" FROM "Transfer" WHERE "userId" = ? ORDER BY "createdAt" DESC, "id" DESC LIMIT 10`,
      [userId],
    ],
    "account statement page (lib/banking/accounts.ts getMyAccount)": [
      `SELECT "id" FROM "LedgerEntry" WHERE "accountId" = ? ORDER BY "createdAt" DESC, "id" DESC LIMIT 21 OFFSET 0`,
      [accountId],
    ],
    "one day's close in the balance chart (lib/banking/balance-history.ts)": [
      `SELECT "balanceAfter" FROM "LedgerEntry" WHERE "accountId" = ? AND "createdAt" < ? ORDER BY "createdAt" DESC LIMIT 1`,
      [accountId, new Date(Date.now() - 45 * DAY_MS).toISOString()],
    ],
    "low-value exemption budget (PSD2 RTS Art. 16)": [
      `SELECT SUM("amount") FROM "Transfer" WHERE "userId" = ? AND "sca" = 'EXEMPT_LOW_VALUE' AND "createdAt" > ?`,
      [userId, new Date(Date.now() - DAY_MS).toISOString()],
    ],
  };
  const plans: { query: string; plan: string; indexed: boolean }[] = [];
  for (const [query, [text, params]] of Object.entries(queries)) {
    const rows = await sql.all<Record<string, unknown>>(
      sql.provider === "postgresql" ? `EXPLAIN ${text}` : `EXPLAIN QUERY PLAN ${text}`,
      ...params,
    );
    const plan = rows.map((r) => String(r["QUERY PLAN"] ?? r.detail)).join(" | ");
    const fullScan =
      sql.provider === "postgresql"
        ? /Seq Scan on "?(Transfer|LedgerEntry)/.test(plan)
        : /SCAN (Transfer|LedgerEntry)(?! USING)/.test(plan);
    plans.push({ query, plan, indexed: !fullScan });
  }
  return plans;
}

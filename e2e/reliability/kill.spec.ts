/**
 * Issue 5, "Kill mid-load": SIGKILL the server in the middle of a load run, restart it, resend every
 * request whose answer was lost (same idempotency key), and check the books again. A transfer is
 * either wholly there or wholly absent, and each lost request ends up exactly once.
 */
import { DEMO } from "../fixtures";
import { freshDatabase, openSql } from "../support/sql";
import { checkLedger, transferKeys } from "./ledger-invariants";
import { expect, requireProvider, test } from "./fixtures";
import {
  planTransfers,
  random,
  receiptsMatchRows,
  sendAll,
  signInCustomers,
  summarise,
  type Sent,
} from "./transfer-load";

const TOTAL = 400;
const CONCURRENCY = 32;
/** Answers received before the plug is pulled: far enough in that transactions are in flight. */
const KILL_AFTER = 150;

for (const provider of ["sqlite", "postgresql"] as const) {
  test(`a server killed mid-load loses no money and no transfer on ${provider}`, async ({ apps }) => {
    requireProvider(provider);
    const databaseUrl = await freshDatabase(provider, `vault_rel_kill_${provider}`);
    apps.prepare(databaseUrl);
    const first = await apps.start({ databaseUrl, name: "before the kill" });
    const sql = await openSql(databaseUrl);
    try {
      // Session cookies are JWTs naming a Session row: they stay valid across the restart.
      const customers = await signInCustomers(first, sql, [DEMO.alice, DEMO.bob]);
      const seed = Date.now() % 1_000_000;
      const plan = planTransfers(customers, TOTAL, 0.1, random(seed));
      const rowsBefore = await transferKeys(sql);

      const t0 = performance.now();
      const seconds = () => ((performance.now() - t0) / 1000).toFixed(1);
      let killed: Promise<void> | undefined;
      const sent = await sendAll(first, plan, CONCURRENCY, (done) => {
        if (done === KILL_AFTER) killed = first.kill();
      });
      await killed;
      const lost = sent.filter((s) => s.outcome.kind === "network_error");

      // The database as the dead process left it (SQLite rolls back its hot journal on this open).
      const atCrash = await checkLedger(sql);
      const rowsAtCrash = await transferKeys(sql);
      const transferAtCrash = new Map(
        [...rowsAtCrash].filter(([id]) => !rowsBefore.has(id)).map(([id, key]) => [key, id]),
      );

      const loadEnded = seconds();
      const second = await apps.start({ port: first.port, databaseUrl, name: "after the restart" });
      const restarted = seconds();
      const resent = await sendAll(
        second,
        lost.map((s) => s.request),
        CONCURRENCY,
      );
      const resendEnded = seconds();
      const answered: Sent[] = [...sent.filter((s) => s.outcome.kind !== "network_error"), ...resent];
      const { transferOfKey, handledMessages, ...counts } = summarise(answered);
      const resentSummary = summarise(resent);
      // Lost answers whose transfer had committed before the kill: the resend must return that same transfer.
      const committedButLost = resent.filter((s) => transferAtCrash.has(s.request.idempotencyKey));
      const replayedAsCommitted = committedButLost.filter(
        (s) => s.outcome.kind === "success" && s.outcome.transferId === transferAtCrash.get(s.request.idempotencyKey),
      );
      const after = await checkLedger(sql);
      console.log(
        `kill ${provider} (seed ${seed}): SIGKILL pid ${first.pid} after ${KILL_AFTER} of ${TOTAL} answers; ${lost.length} answers lost ` +
          `(${committedButLost.length} of them had committed), resent after restart\n` +
          `  timeline: load and kill until ${loadEnded} s, healthy again at ${restarted} s, resend done at ${resendEnded} s\n` +
          `  at the crash: ${atCrash.figures.transfers} transfers, violations ${atCrash.violations.length}\n` +
          `  resend: ${JSON.stringify({ successes: resentSummary.successes, handled: resentSummary.handled, serverErrors: resentSummary.serverErrors, networkErrors: resentSummary.networkErrors, unexpected: resentSummary.unexpected })}\n` +
          `  whole run: ${JSON.stringify(counts)}\n  handled: ${JSON.stringify(handledMessages)}\n` +
          `  after: ${after.figures.transfers} transfers, ${after.figures.entries} entries, violations ${after.violations.length}`,
      );

      expect(lost.length, "the kill cut off some answers").toBeGreaterThan(0);
      expect(atCrash.violations).toEqual([]);
      expect({
        serverErrors: resentSummary.serverErrors,
        networkErrors: resentSummary.networkErrors,
        unexpected: resentSummary.unexpected,
      }).toEqual({
        serverErrors: 0,
        networkErrors: 0,
        unexpected: 0,
      });
      expect(replayedAsCommitted.length).toBe(committedButLost.length);
      expect(counts.serverErrors).toBe(0);
      expect(counts.keysWithTwoTransfers).toBe(0);
      expect(after.violations).toEqual([]);
      expect(receiptsMatchRows(rowsBefore, await transferKeys(sql), transferOfKey)).toEqual([]);
    } finally {
      await sql.close();
    }
  });
}

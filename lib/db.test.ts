import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { withTestDb } from "@/lib/testing/test-db";

const t = withTestDb();

const probe = (action: string) => ({ userId: null, action, outcome: "SUCCESS" as const, metadata: "{}" });

/**
 * Another request's work, made while a transaction is open, is not part of that transaction: on
 * PostgreSQL each has its own connection; on SQLite (one connection) lib/db.ts makes it wait.
 */
describe("a query from outside an open transaction", () => {
  it("is not rolled back with it, and doesn't see its uncommitted writes", async () => {
    const { db } = t;
    let outsideWrite!: Promise<unknown>;
    let outsideRead!: Promise<number>;
    await db
      .$transaction(async (tx) => {
        await tx.auditEvent.create({ data: probe("probe.inside") });
        // Another request writes and reads while this transaction is open…
        outsideWrite = db.auditEvent.create({ data: probe("probe.outside") });
        outsideRead = db.auditEvent.count({ where: { action: "probe.inside" } });
        // …and has every chance to reach the database before this one ends.
        for (let i = 0; i < 5; i++) await tx.auditEvent.count();
        await new Promise((resolve) => setTimeout(resolve, 50));
        throw new Error("this transaction rolls back");
      })
      .catch((err: Error) => assert.equal(err.message, "this transaction rolls back"));
    await outsideWrite;
    assert.equal(await outsideRead, 0, "the other request saw an uncommitted row");
    assert.equal(
      await db.auditEvent.count({ where: { action: "probe.outside" } }),
      1,
      "the other request's row was lost",
    );
    assert.equal(await db.auditEvent.count({ where: { action: "probe.inside" } }), 0);
  });

  it("20 requests' own writes, racing 20 transactions that roll back, all commit", async () => {
    const { db } = t;
    const rolledBack = Array.from({ length: 20 }, (_, i) =>
      db
        .$transaction(async (tx) => {
          await tx.auditEvent.create({ data: probe(`probe.doomed.${i}`) });
          await new Promise((resolve) => setImmediate(resolve));
          throw new Error("rolls back");
        })
        .catch(() => null),
    );
    const own = Array.from({ length: 20 }, () => db.auditEvent.create({ data: probe("probe.own") }));
    await Promise.all([...rolledBack, ...own]);
    assert.equal(await db.auditEvent.count({ where: { action: "probe.own" } }), 20);
    assert.equal(await db.auditEvent.count({ where: { action: { startsWith: "probe.doomed." } } }), 0);
  });
});

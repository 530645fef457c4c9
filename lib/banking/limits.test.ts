import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { describe, it } from "node:test";
import { settle } from "@/lib/testing/fixtures";
import { TEST_PROVIDER, withTestDb } from "@/lib/testing/test-db";

/**
 * The daily payment limit holds when payments race: it is counted inside each payment's transaction,
 * after the customer's row lock, not only when the payment is prepared.
 */
let perform: typeof import("@/lib/assurance/pipeline").perform;
let transfers: typeof import("@/lib/banking/transfers");
let limits: typeof import("@/lib/banking/limits");
let errors: typeof import("@/lib/errors");

const testDb = withTestDb(async () => {
  perform = (await import("@/lib/assurance/pipeline")).perform;
  transfers = await import("@/lib/banking/transfers");
  limits = await import("@/lib/banking/limits");
  errors = await import("@/lib/errors");
});

/** A customer of some standing with the default accounts and a payee already paid once (so $10 payments are exempt). */
async function customer() {
  const users = await import("@/lib/auth/users");
  const created = await users.createUser(
    users.signUpSchema.parse({
      name: "Racer",
      email: `race-${randomUUID()}@example.com`,
      password: "a long test passphrase",
    }),
  );
  const db = testDb.db;
  const payee = await db.payee.create({
    data: {
      userId: created.id,
      name: "Known",
      iban: "GB82WEST12345698765432",
      currency: "USD",
      firstPaidAt: new Date(),
    },
  });
  await settle(db, created.id); // their set-up is no recent security change (lib/risk)
  const checking = await db.account.findFirstOrThrow({ where: { userId: created.id, type: "CHECKING" } });
  const actor = {
    id: created.id,
    sid: `sid-${randomUUID()}`,
    claims: { amr: ["pwd"], acr: "urn:vault:acr:aal1" as const, auth_time: Math.floor(Date.now() / 1000) },
  };
  return { actor, payee: payee.id, checking: checking.id };
}

describe(`the daily payment limit (${TEST_PROVIDER})`, () => {
  it("admits exactly $50.00 of 20 racing $10.00 payments under a $50.00 limit; the rest are refused with the limit's message", async () => {
    const c = await customer();
    await testDb.db.user.update({ where: { id: c.actor.id }, data: { dailyLimitMinor: 5_000n } });
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, () =>
        perform(transfers.transfer, c.actor, {
          fromAccountId: c.checking,
          to: `payee:${c.payee}`,
          amount: "10.00",
          idempotencyKey: randomUUID().replaceAll("-", ""),
        }),
      ),
    );
    const sent = results.filter((r) => r.status === "fulfilled").length;
    console.log(`  payments admitted: ${sent} of 20 under a $50.00 limit (${TEST_PROVIDER})`);
    assert.equal(sent, 5);
    for (const r of results) {
      if (r.status === "rejected") {
        assert.ok(r.reason instanceof errors.DomainError && r.reason.code === "daily_limit", String(r.reason));
      }
    }
    const paid = await testDb.db.transfer.aggregate({
      where: { userId: c.actor.id, payeeId: c.payee },
      _sum: { amount: true },
    });
    assert.equal(paid._sum.amount, 5_000n);
  });

  it("lowering needs no step-up; raising stores a bound intent and changes nothing until it is confirmed", async () => {
    const c = await customer();
    const { StepUpRequired } = await import("@/lib/assurance/guard");
    await perform(limits.limitChange, c.actor, { limit: "100.00" });
    assert.equal((await limits.getDailyLimitFor(c.actor)).limitMinor, 10_000n);
    await assert.rejects(perform(limits.limitChange, c.actor, { limit: "9000" }), StepUpRequired);
    assert.equal((await limits.getDailyLimitFor(c.actor)).limitMinor, 10_000n);
    await assert.rejects(
      perform(limits.limitChange, c.actor, { limit: "100.00" }),
      (err: { code?: string }) => err.code === "invalid_input",
    );
    await assert.rejects(
      perform(limits.limitChange, c.actor, { limit: "0.50" }),
      (err: { code?: string }) => err.code === "invalid_input",
    );
  });
});

import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import fc from "fast-check";
import { settle } from "@/lib/testing/fixtures";
import { createTestDatabase, TEST_PROVIDER, type TestDatabase } from "@/lib/testing/test-db";

const PROVIDER = TEST_PROVIDER;

let testDb: TestDatabase;
let db: typeof import("@/lib/db").db;
let perform: typeof import("@/lib/assurance/pipeline").perform;
let transfers: typeof import("@/lib/banking/transfers");
let payees: typeof import("@/lib/banking/payees");
let errors: typeof import("@/lib/errors");
let users: typeof import("@/lib/auth/users");
let guardModule: typeof import("@/lib/assurance/guard");
let intents: typeof import("@/lib/assurance/intents");

type Actor = import("@/lib/assurance/operation").Actor;
type Customer = { actor: Actor; checking: string; savings: string; payee: string };

/**
 * Runs a sensitive operation; when the guard asks for step-up, authorises the stored intent (the
 * state change a verified passkey assertion makes; the ceremony itself is covered by the e2e suite)
 * and resumes with it, as /step-up does.
 */
async function withStepUp<T>(actor: Actor, run: (options: { intentId?: string }) => Promise<T>): Promise<T> {
  try {
    return await run({});
  } catch (err) {
    if (!(err instanceof guardModule.StepUpRequired)) throw err;
    const { payload } = await db.stepUpIntent.findUniqueOrThrow({ where: { id: err.intentId } });
    assert.equal(await intents.authoriseIntent(actor, err.intentId, payload), true);
    return run({ intentId: err.intentId });
  }
}
let alice: Customer;
let bob: Customer;

async function newCustomer(name: string): Promise<Customer> {
  const user = await users.createUser(
    users.signUpSchema.parse({
      name,
      email: `${name}-${randomUUID()}@example.com`,
      password: "a long test passphrase",
    }),
  );
  // These tests are about the ledger, not the daily limit (lib/banking/limits.test.ts): lift it.
  await db.user.update({ where: { id: user.id }, data: { dailyLimitMinor: 5_000_000n } });
  const actor: Actor = {
    id: user.id,
    sid: "test-session",
    claims: { amr: ["pwd"], acr: "urn:vault:acr:aal1", auth_time: Math.floor(Date.now() / 1000) },
  };
  const [checking, savings] = await db.account.findMany({ where: { userId: user.id }, orderBy: { createdAt: "asc" } });
  const { id: payee } = await withStepUp(actor, (o) =>
    perform(
      payees.payeeAdd,
      actor,
      { name: `${name}'s landlord`, scheme: "iban", iban: "GB82 WEST 1234 5698 7654 32" },
      o,
    ),
  );
  await settle(db, user.id); // a customer of some standing: their set-up is no recent change (lib/risk)
  return { actor, checking: checking.id, savings: savings.id, payee };
}

const key = () => randomUUID().replaceAll("-", "");

/** Everything a failed transfer must leave untouched. */
async function snapshot() {
  const accounts = await db.account.findMany({ select: { id: true, balance: true }, orderBy: { id: "asc" } });
  return {
    balances: accounts.map((a) => `${a.id}:${a.balance}`),
    transfers: await db.transfer.count(),
    entries: await db.ledgerEntry.count(),
    payeesPaid: await db.payee.count({ where: { firstPaidAt: { not: null } } }),
  };
}

/** The books: all balances (customers' and the bank's own) sum to 0, and every balance equals its entries. */
async function assertBooksBalance() {
  const total = await db.account.aggregate({ _sum: { balance: true } });
  assert.equal(total._sum.balance ?? 0n, 0n, "sum of all balances");
  const accounts = await db.account.findMany({ select: { id: true, balance: true, userId: true } });
  for (const account of accounts) {
    const entries = await db.ledgerEntry.aggregate({ where: { accountId: account.id }, _sum: { amount: true } });
    assert.equal(entries._sum.amount ?? 0n, account.balance, `entries of ${account.id}`);
    if (account.userId) assert.ok(account.balance >= 0n, `customer balance ${account.id} is negative`);
  }
  const perTransfer = await db.ledgerEntry.groupBy({
    by: ["transferId"],
    _sum: { amount: true },
    _count: { _all: true },
  });
  for (const t of perTransfer) {
    assert.equal(t._sum.amount, 0n, "a transfer's two entries sum to zero");
    assert.equal(t._count._all, 2);
  }
}

before(async () => {
  testDb = await createTestDatabase();
  db = (await import("@/lib/db")).db;
  perform = (await import("@/lib/assurance/pipeline")).perform;
  transfers = await import("@/lib/banking/transfers");
  payees = await import("@/lib/banking/payees");
  errors = await import("@/lib/errors");
  users = await import("@/lib/auth/users");
  guardModule = await import("@/lib/assurance/guard");
  intents = await import("@/lib/assurance/intents");
  alice = await newCustomer("alice");
  bob = await newCustomer("bob");
});
after(async () => {
  await db?.$disconnect();
  await testDb?.drop();
});

describe(`transfers (${PROVIDER})`, () => {
  it("moves money between own accounts with two entries that sum to zero", async () => {
    const result = await perform(transfers.transfer, alice.actor, {
      fromAccountId: alice.checking,
      to: `account:${alice.savings}`,
      amount: "12.34",
      memo: "  rent share ",
      idempotencyKey: key(),
    });
    assert.match(result.reference, /^VLT-[2-9A-Z]{4}-[2-9A-Z]{4}$/);
    const t = await db.transfer.findUniqueOrThrow({ where: { id: result.id }, include: { entries: true } });
    assert.equal(t.amount, 1234n);
    assert.equal(t.memo, "rent share");
    assert.deepEqual(t.entries.map((e) => e.amount).sort(), [-1234n, 1234n].sort());
    await assertBooksBalance();
  });

  it("pays a payee through the settlement account and marks the payee as no longer new", async () => {
    assert.equal((await db.payee.findUniqueOrThrow({ where: { id: alice.payee } })).firstPaidAt, null);
    const input = { fromAccountId: alice.checking, to: `payee:${alice.payee}`, amount: "50", idempotencyKey: key() };
    const result = await withStepUp(alice.actor, (o) => perform(transfers.transfer, alice.actor, input, o)); // a new payee: step-up
    const t = await db.transfer.findUniqueOrThrow({ where: { id: result.id }, include: { toAccount: true } });
    assert.equal(t.payeeId, alice.payee);
    assert.equal(t.toAccount.type, "INTERNAL");
    assert.equal(t.toAccount.userId, null);
    assert.notEqual((await db.payee.findUniqueOrThrow({ where: { id: alice.payee } })).firstPaidAt, null);
    await assertBooksBalance();
  });

  it("keeps the books balanced across any mix of transfers, including failed ones", async () => {
    const op = fc.record({
      who: fc.constantFrom("alice", "bob"),
      route: fc.constantFrom("c2s", "s2c", "payee"),
      cents: fc.integer({ min: -100, max: 600_000 }),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 8 }), async (ops) => {
        for (const { who, route, cents } of ops) {
          const c = who === "alice" ? alice : bob;
          const [from, to] =
            route === "c2s"
              ? [c.checking, `account:${c.savings}`]
              : route === "s2c"
                ? [c.savings, `account:${c.checking}`]
                : [c.checking, `payee:${c.payee}`];
          const amount = `${Math.trunc(cents / 100)}.${String(Math.abs(cents) % 100).padStart(2, "0")}`;
          const input = { fromAccountId: from, to, amount, idempotencyKey: key() };
          await withStepUp(c.actor, (o) => perform(transfers.transfer, c.actor, input, o)).catch((err: unknown) => {
            if (!(err instanceof errors.DomainError)) throw err;
          });
        }
        await assertBooksBalance();
      }),
      { numRuns: 15 },
    );
  });

  it("survives 240 concurrent transfers over shared accounts: no overdraft, no lost or created cent", async () => {
    const c = await newCustomer("carol");
    const d = await newCustomer("dave");
    const totalBefore = (await db.account.aggregate({ _sum: { balance: true } }))._sum.balance;
    const routes = [
      [c, c.checking, `account:${c.savings}`],
      [c, c.savings, `account:${c.checking}`],
      [c, c.checking, `payee:${c.payee}`],
      [d, d.checking, `account:${d.savings}`],
      [d, d.savings, `account:${d.checking}`],
      [d, d.checking, `payee:${d.payee}`],
    ] as const;
    const results = await Promise.allSettled(
      Array.from({ length: 240 }, (_, i) => {
        const [who, from, to] = routes[i % routes.length];
        // Big enough that many fail: checking starts at $2,500.00, savings at $10,000.00.
        const amount = `${150 + ((i * 37) % 900)}.${String(i % 100).padStart(2, "0")}`;
        const input = { fromAccountId: from, to, amount, idempotencyKey: key() };
        return withStepUp(who.actor, (o) => perform(transfers.transfer, who.actor, input, o));
      }),
    );
    const ok = results.filter((r) => r.status === "fulfilled").length;
    const failures = results.flatMap((r) => (r.status === "rejected" ? [r.reason as unknown] : []));
    for (const failure of failures) {
      assert.ok(
        failure instanceof errors.DomainError && failure.code === "insufficient_funds",
        `unexpected failure: ${String(failure)}`,
      );
    }
    assert.ok(ok > 0 && failures.length > 0, `expected a mix, got ${ok} ok / ${failures.length} failed`);
    const created = await db.transfer.count({
      where: {
        userId: { in: [c.actor.id, d.actor.id] },
        memo: null,
        NOT: { idempotencyKey: { startsWith: "opening:" } },
      },
    });
    assert.equal(created, ok, "one transfer row per success");
    assert.equal((await db.account.aggregate({ _sum: { balance: true } }))._sum.balance, totalBefore);
    await assertBooksBalance();
    console.log(`[${PROVIDER}] 240 concurrent transfers: ${ok} succeeded, ${failures.length} insufficient funds`);
  });

  it("moves money once when the same idempotency key is submitted 12 times at once", async () => {
    const k = key();
    const before = (await db.account.findUniqueOrThrow({ where: { id: bob.savings } })).balance;
    const results = await Promise.all(
      Array.from({ length: 12 }, () =>
        perform(transfers.transfer, bob.actor, {
          fromAccountId: bob.savings,
          to: `account:${bob.checking}`,
          amount: "10.00",
          idempotencyKey: k,
        }),
      ),
    );
    assert.equal(new Set(results.map((r) => r.id)).size, 1);
    assert.equal(results.filter((r) => !r.replayed).length, 1);
    assert.equal(await db.transfer.count({ where: { idempotencyKey: k } }), 1);
    assert.equal((await db.account.findUniqueOrThrow({ where: { id: bob.savings } })).balance, before - 1000n);
    // And a later retry returns the first result too.
    const retry = await perform(transfers.transfer, bob.actor, {
      fromAccountId: bob.savings,
      to: `account:${bob.checking}`,
      amount: "10.00",
      idempotencyKey: k,
    });
    assert.deepEqual({ id: retry.id, replayed: retry.replayed }, { id: results[0].id, replayed: true });
    await assertBooksBalance();
  });

  it("a low-value payment that loses the daily budget to a concurrent payment twice ends in a step-up, never a crash (PSD2 RTS Art. 16)", async () => {
    // Its own customer, so the other tests' payments don't touch this budget. The payee is paid once
    // (with a step-up) so it is no longer new, and a $10 payment to it is exempt.
    const c = await newCustomer(`carol-${randomUUID().slice(0, 6)}`);
    const first = { fromAccountId: c.checking, to: `payee:${c.payee}`, amount: "1.00", idempotencyKey: key() };
    await withStepUp(c.actor, (o) => perform(transfers.transfer, c.actor, first, o));
    // The lost race, made by the database itself: whenever this customer's exempt payment takes its
    // row lock, another exempt payment using the whole budget appears before the re-count. The
    // transaction then rolls back, taking that payment with it, so the retry loses the same way.
    const tag = `spend_${randomUUID().replaceAll("-", "").slice(0, 12)}`;
    const columns = `"id", "reference", "userId", "fromAccountId", "toAccountId", "amount", "currency", "idempotencyKey", "sca", "createdAt"`;
    if (PROVIDER === "postgresql") {
      await db.$executeRawUnsafe(
        `CREATE FUNCTION ${tag}() RETURNS trigger AS $$ BEGIN INSERT INTO "Transfer" (${columns}) VALUES (md5(random()::text), md5(random()::text), NEW."id", '${c.checking}', '${c.savings}', 25000, 'USD', md5(random()::text), 'EXEMPT_LOW_VALUE', now()); RETURN NEW; END $$ LANGUAGE plpgsql`,
      );
      await db.$executeRawUnsafe(
        `CREATE TRIGGER ${tag} AFTER UPDATE ON "User" FOR EACH ROW WHEN (NEW."id" = '${c.actor.id}') EXECUTE FUNCTION ${tag}()`,
      );
    } else {
      await db.$executeRawUnsafe(
        `CREATE TRIGGER ${tag} AFTER UPDATE ON "User" FOR EACH ROW WHEN NEW."id" = '${c.actor.id}' BEGIN INSERT INTO "Transfer" (${columns}) VALUES (lower(hex(randomblob(12))), lower(hex(randomblob(12))), NEW."id", '${c.checking}', '${c.savings}', 25000, 'USD', lower(hex(randomblob(12))), 'EXEMPT_LOW_VALUE', strftime('%Y-%m-%dT%H:%M:%fZ', 'now')); END`,
      );
    }
    try {
      const before = await snapshot();
      const input = { fromAccountId: c.checking, to: `payee:${c.payee}`, amount: "10.00", idempotencyKey: key() };
      const lost = await perform(transfers.transfer, c.actor, input).then(
        () => "paid without a step-up",
        (err: unknown) =>
          err instanceof guardModule.StepUpRequired
            ? "step-up"
            : err instanceof errors.DomainError
              ? `DomainError ${err.code}`
              : `crash: ${String(err)}`,
      );
      assert.equal(lost, "step-up");
      assert.deepEqual(await snapshot(), before, "nothing moved");
      assert.equal(
        await db.auditEvent.count({ where: { userId: c.actor.id, reason: "exemption_budget_spent_concurrently" } }),
        1,
      );
      // Confirmed with a step-up, it goes out once, as a step-up payment (the trigger never fires: no exemption).
      const paid = await withStepUp(c.actor, (o) => perform(transfers.transfer, c.actor, input, o));
      assert.equal((await db.transfer.findUniqueOrThrow({ where: { id: paid.id } })).sca, "STEP_UP");
    } finally {
      await db.$executeRawUnsafe(`DROP TRIGGER ${tag}${PROVIDER === "postgresql" ? ' ON "User"' : ""}`);
      if (PROVIDER === "postgresql") await db.$executeRawUnsafe(`DROP FUNCTION ${tag}()`);
    }
    await assertBooksBalance();
  });

  describe("rejects, with a clear message and no change", () => {
    const cases: {
      name: string;
      input: () => Record<string, unknown>;
      actor?: () => Customer;
      field: string;
      message: RegExp;
    }[] = [
      { name: "a zero amount", input: () => ({ amount: "0" }), field: "amount", message: /greater than zero/ },
      { name: "a negative amount", input: () => ({ amount: "-5.00" }), field: "amount", message: /positive/ },
      { name: "a malformed amount", input: () => ({ amount: "12abc" }), field: "amount", message: /digits/ },
      { name: "an exponent", input: () => ({ amount: "1e3" }), field: "amount", message: /digits/ },
      { name: "an empty amount", input: () => ({ amount: "" }), field: "amount", message: /Enter an amount/ },
      { name: "a non-text amount", input: () => ({ amount: 12.5 }), field: "amount", message: /Enter an amount/ },
      {
        name: "more than 2 decimal places",
        input: () => ({ amount: "1.234" }),
        field: "amount",
        message: /2 decimal places/,
      },
      {
        name: "more than the per-transfer maximum",
        input: () => ({ amount: "25000.01" }),
        field: "amount",
        message: /\$25,000\.00/,
      },
      {
        name: "a transfer to the same account",
        input: () => ({ to: `account:${alice.checking}` }),
        field: "to",
        message: /two different accounts/,
      },
      {
        name: "another user's source account",
        input: () => ({ fromAccountId: bob.checking }),
        field: "fromAccountId",
        message: /not found/,
      },
      {
        name: "another user's destination account",
        input: () => ({ to: `account:${bob.savings}` }),
        field: "to",
        message: /not found/,
      },
      { name: "another user's payee", input: () => ({ to: `payee:${bob.payee}` }), field: "to", message: /not found/ },
      {
        name: "insufficient funds",
        input: () => ({ amount: "24999.99" }),
        field: "amount",
        message: /isn't enough money/,
      },
      { name: "a malformed destination", input: () => ({ to: "account:../../x" }), field: "to", message: /Choose who/ },
      {
        name: "a missing idempotency key",
        input: () => ({ idempotencyKey: undefined }),
        field: "idempotencyKey",
        message: /expired/,
      },
      { name: "a 10 kB memo", input: () => ({ memo: "m".repeat(10_000) }), field: "memo", message: /at most 140/ },
      {
        name: "a prototype-pollution key",
        input: () => ({ __proto__: { amount: "1.00" }, amount: undefined }),
        field: "amount",
        message: /Enter an amount/,
      },
    ];
    for (const c of cases) {
      it(c.name, async () => {
        const before = await snapshot();
        const input = {
          fromAccountId: alice.checking,
          to: `account:${alice.savings}`,
          amount: "1.00",
          idempotencyKey: key(),
          ...c.input(),
        };
        await assert.rejects(perform(transfers.transfer, alice.actor, input), (err: unknown) => {
          assert.ok(err instanceof errors.DomainError, String(err));
          const message =
            err instanceof errors.InputError
              ? err.fieldErrors[c.field]
              : err.field === c.field
                ? err.userMessage
                : undefined;
          assert.match(message ?? "(no message on that field)", c.message);
          return true;
        });
        assert.deepEqual(await snapshot(), before);
      });
    }

    it("a currency mismatch", async () => {
      const euro = await db.account.create({
        data: { userId: alice.actor.id, name: "Euro", type: "CHECKING", currency: "EUR", number: `E${Date.now()}` },
      });
      const before = await snapshot();
      await assert.rejects(
        perform(transfers.transfer, alice.actor, {
          fromAccountId: alice.checking,
          to: `account:${euro.id}`,
          amount: "1.00",
          idempotencyKey: key(),
        }),
        (err: unknown) =>
          err instanceof errors.DomainError &&
          err.code === "currency_mismatch" &&
          /same currency/.test(err.userMessage),
      );
      assert.deepEqual(await snapshot(), before);
    });

    it("every rejection is audited as a failure", async () => {
      const failures = await db.auditEvent.count({
        where: { userId: alice.actor.id, action: "transfer.create", outcome: "FAILURE" },
      });
      assert.ok(failures >= 6, `only ${failures} failures audited`);
    });
  });

  it("won't let an outsider remove someone else's payee", async () => {
    const before = await snapshot();
    await assert.rejects(
      payees.removePayeeFor(bob.actor, alice.payee),
      (err: unknown) => err instanceof errors.DomainError && err.code === "not_found",
    );
    assert.equal((await db.payee.findUniqueOrThrow({ where: { id: alice.payee } })).removedAt, null);
    assert.deepEqual(await snapshot(), before);
  });

  it("rejects payees with bad bank details, with a message on the right field", async () => {
    const bad: [Record<string, unknown>, string, RegExp][] = [
      [{ name: "X", scheme: "iban", iban: "GB82 WEST 1234 5698 7654 33" }, "iban", /isn't valid/],
      [{ name: "X", scheme: "iban", iban: "" }, "iban", /Enter the IBAN/],
      [{ name: "X", scheme: "domestic", routingCode: "12345", accountNumber: "12345678" }, "routingCode", /9-digit/],
      [
        { name: "X", scheme: "domestic", routingCode: "021000022", accountNumber: "12345678" },
        "routingCode",
        /9-digit/,
      ], // bad ABA checksum
      [
        { name: "X", scheme: "domestic", routingCode: "021000021", accountNumber: "12ab" },
        "accountNumber",
        /4 to 17 digits/,
      ],
      [{ name: "", scheme: "iban", iban: "GB82WEST12345698765432" }, "name", /Enter the name/],
      [{ name: "X", scheme: "swift" }, "scheme", /Choose IBAN/],
    ];
    const count = await db.payee.count();
    for (const [input, field, message] of bad) {
      await assert.rejects(perform(payees.payeeAdd, alice.actor, input), (err: unknown) => {
        assert.ok(err instanceof errors.InputError, String(err));
        assert.match(err.fieldErrors[field] ?? "", message, JSON.stringify(input));
        return true;
      });
    }
    assert.equal(await db.payee.count(), count);
    const good = await withStepUp(alice.actor, (o) =>
      perform(
        payees.payeeAdd,
        alice.actor,
        { name: "ACME Ltd", scheme: "domestic", routingCode: "021000021", accountNumber: "1234 5678" },
        o,
      ),
    );
    assert.equal((await db.payee.findUniqueOrThrow({ where: { id: good.id } })).accountNumber, "12345678");
  });
});

import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { statementsOf } from "@/lib/testing/statements";
import { addPasskey, settle } from "@/lib/testing/fixtures";
import { createTestDatabase, TEST_PROVIDER, type TestDatabase } from "@/lib/testing/test-db";

const PROVIDER = TEST_PROVIDER;

let testDb: TestDatabase;
let db: typeof import("@/lib/db").db;
let perform: typeof import("@/lib/assurance/pipeline").perform;
let guardModule: typeof import("@/lib/assurance/guard");
let intents: typeof import("@/lib/assurance/intents");
let transfers: typeof import("@/lib/banking/transfers");
let errors: typeof import("@/lib/errors");
type Actor = import("@/lib/assurance/operation").Actor;

type Customer = { actor: Actor; checking: string; payee: string; knownPayee: string };
let alice: Customer;
let bob: Customer;

const key = () => randomUUID().replaceAll("-", "");
const passwordClaims = () => ({
  amr: ["pwd"],
  acr: "urn:vault:acr:aal1" as const,
  auth_time: Math.floor(Date.now() / 1000),
});

async function customer(name: string): Promise<Customer> {
  const users = await import("@/lib/auth/users");
  const user = await users.createUser(
    users.signUpSchema.parse({
      name,
      email: `${name}-${randomUUID()}@example.com`,
      password: "a long test passphrase",
    }),
  );
  const actor: Actor = { id: user.id, sid: `sid-${name}`, claims: passwordClaims() };
  // A passkey row, so policies ask for a passkey rather than enrolment (the ceremony is e2e-tested).
  await addPasskey(db, user.id, "Test key");
  const checking = (await db.account.findFirstOrThrow({ where: { userId: user.id, type: "CHECKING" } })).id;
  const payee = (
    await db.payee.create({
      data: { userId: user.id, name: "ACME Ltd", iban: "GB82WEST12345698765432", currency: "USD" },
    })
  ).id;
  const knownPayee = (
    await db.payee.create({
      data: {
        userId: user.id,
        name: "Landlord",
        iban: "DE89370400440532013000",
        currency: "USD",
        firstPaidAt: new Date(),
      },
    })
  ).id;
  // A customer of some standing: their set-up is no recent security change (lib/risk).
  await settle(db, user.id);
  return { actor, checking, payee, knownPayee };
}

async function balances(c: Customer) {
  return (await db.account.findMany({ where: { userId: c.actor.id }, orderBy: { id: "asc" } })).map((a) => a.balance);
}

/** The canonical text each intent had when it was created: what a passkey assertion would be bound to. */
const signedFor = new Map<string, string>();

/** Asks for a transfer and returns the intent the guard stored instead of moving money. */
async function pendingIntent(c: Customer, input: Record<string, unknown>): Promise<string> {
  try {
    await perform(transfers.transfer, c.actor, input);
  } catch (err) {
    if (err instanceof guardModule.StepUpRequired) {
      signedFor.set(err.intentId, (await db.stepUpIntent.findUniqueOrThrow({ where: { id: err.intentId } })).payload);
      return err.intentId;
    }
    throw err;
  }
  throw new Error("expected a step-up");
}

before(async () => {
  testDb = await createTestDatabase();
  db = (await import("@/lib/db")).db;
  perform = (await import("@/lib/assurance/pipeline")).perform;
  guardModule = await import("@/lib/assurance/guard");
  intents = await import("@/lib/assurance/intents");
  transfers = await import("@/lib/banking/transfers");
  errors = await import("@/lib/errors");
  alice = await customer("alice");
  bob = await customer("bob");
});
after(async () => {
  await db?.$disconnect();
  await testDb?.drop();
});

describe(`the assurance guard (${PROVIDER})`, () => {
  it("a large transfer called directly, without step-up, moves nothing and stores a pending intent", async () => {
    const before = await balances(alice);
    const input = {
      fromAccountId: alice.checking,
      to: `payee:${alice.knownPayee}`,
      amount: "1250.00",
      idempotencyKey: key(),
    };
    const intentId = await pendingIntent(alice, input);
    assert.deepEqual(await balances(alice), before);
    assert.equal(await db.transfer.count({ where: { idempotencyKey: input.idempotencyKey } }), 0);
    const intent = await intents.findIntent(alice.actor, intentId);
    assert.equal(intent?.status, "PENDING");
    assert.equal(intent?.action, "transfer.payee");
    assert.deepEqual(intent?.payload.amount, "1250.00");
    assert.deepEqual((intent?.payload.to as { name: string }).name, "Landlord");
    const audit = await db.auditEvent.findFirst({
      where: { userId: alice.actor.id, action: "assurance.decision" },
      orderBy: { createdAt: "desc" },
    });
    assert.equal(audit?.outcome, "STEP_UP_REQUIRED");
    // Low risk, but above the low-value exemption, and the payee isn't regular enough for TRA (paid
    // once, added two days ago): a bound passkey, decided with the risk it saw (lib/risk).
    assert.equal(audit?.reason, "bound_action");
    assert.match(audit?.metadata ?? "", /"acr_values":"urn:vault:acr:phr"/);
    assert.match(audit?.metadata ?? "", /"risk":"low","signals":""/);
    assert.deepEqual(intent?.risk, []);
  });

  it("an authorised intent completes once, even when two completions race", async () => {
    const input = {
      fromAccountId: alice.checking,
      to: `payee:${alice.knownPayee}`,
      amount: "300.00",
      idempotencyKey: key(),
    };
    const intentId = await pendingIntent(alice, input);
    assert.equal(await intents.authoriseIntent(alice.actor, intentId, signedFor.get(intentId)!), true);
    assert.equal(
      await intents.authoriseIntent(alice.actor, intentId, signedFor.get(intentId)!),
      false,
      "authorised once",
    );
    const before = await balances(alice);
    // Different idempotency keys would not help an attacker either: the intent is consumed in the transfer's transaction.
    const results = await Promise.allSettled([
      perform(transfers.transfer, alice.actor, input, { intentId }),
      perform(transfers.transfer, alice.actor, input, { intentId }),
    ]);
    const ok = results
      .filter((r) => r.status === "fulfilled")
      .map((r) => (r as PromiseFulfilledResult<{ id: string }>).value.id);
    assert.equal(new Set(ok).size, 1);
    assert.equal(await db.transfer.count({ where: { idempotencyKey: input.idempotencyKey } }), 1);
    const after = await balances(alice);
    assert.equal(before.reduce((a, b) => a + b, 0n) - after.reduce((a, b) => a + b, 0n), 30_000n);
    const transfer = await db.transfer.findFirstOrThrow({ where: { idempotencyKey: input.idempotencyKey } });
    assert.equal(transfer.sca, "STEP_UP");
    assert.equal((await intents.findIntent(alice.actor, intentId))?.status, "CONSUMED");
    // A later replay with the same intent and a fresh key is refused.
    await assert.rejects(
      perform(transfers.transfer, alice.actor, { ...input, idempotencyKey: key() }, { intentId }),
      /doesn't match|already used/,
    );
  });

  it("an intent authorised for one amount can't complete another", async () => {
    const input = {
      fromAccountId: alice.checking,
      to: `payee:${alice.knownPayee}`,
      amount: "200.00",
      idempotencyKey: key(),
    };
    const intentId = await pendingIntent(alice, input);
    assert.equal(await intents.authoriseIntent(alice.actor, intentId, signedFor.get(intentId)!), true);
    const before = await balances(alice);
    await assert.rejects(
      perform(transfers.transfer, alice.actor, { ...input, amount: "2000.00" }, { intentId }),
      (err: unknown) => err instanceof errors.DomainError && err.code === "intent_invalid",
    );
    await assert.rejects(
      perform(transfers.transfer, alice.actor, { ...input, to: `payee:${alice.payee}` }, { intentId }),
      /doesn't match/,
    );
    assert.deepEqual(await balances(alice), before);
  });

  it("altering the stored intent after it was created makes it unusable", async () => {
    const input = {
      fromAccountId: alice.checking,
      to: `payee:${alice.knownPayee}`,
      amount: "150.00",
      idempotencyKey: key(),
    };
    const intentId = await pendingIntent(alice, input);
    const row = await db.stepUpIntent.findUniqueOrThrow({ where: { id: intentId } });
    await db.stepUpIntent.update({
      where: { id: intentId },
      data: { payload: row.payload.replace('"150.00"', '"1500.00"') },
    });
    assert.equal(await intents.authoriseIntent(alice.actor, intentId, signedFor.get(intentId)!), false);
    const before = await balances(alice);
    await assert.rejects(
      perform(transfers.transfer, alice.actor, { ...input, amount: "1500.00" }, { intentId }),
      /doesn't match/,
    );
    assert.deepEqual(await balances(alice), before);
  });

  it("another user's intent id is not theirs to authorise or use", async () => {
    const intentId = await pendingIntent(alice, {
      fromAccountId: alice.checking,
      to: `payee:${alice.knownPayee}`,
      amount: "400.00",
      idempotencyKey: key(),
    });
    assert.equal(await intents.findIntent(bob.actor, intentId), null);
    assert.equal(await intents.authoriseIntent(bob.actor, intentId, signedFor.get(intentId)!), false);
    assert.equal(
      await intents.authoriseIntent({ ...alice.actor, sid: "another-session" }, intentId, signedFor.get(intentId)!),
      false,
      "bound to the session too",
    );
    assert.equal(await intents.authoriseIntent(alice.actor, intentId, signedFor.get(intentId)!), true);
    const before = await balances(bob);
    await assert.rejects(
      perform(
        transfers.transfer,
        bob.actor,
        { fromAccountId: bob.checking, to: `payee:${bob.knownPayee}`, amount: "400.00", idempotencyKey: key() },
        { intentId },
      ),
      /doesn't match/,
    );
    assert.deepEqual(await balances(bob), before);
  });

  it("small payments to a known payee are exempt until the daily budget is used (PSD2 RTS Art. 16)", async () => {
    const c = await customer("carol");
    for (const amount of ["99.99", "99.99"]) {
      const r = await perform(transfers.transfer, c.actor, {
        fromAccountId: c.checking,
        to: `payee:${c.knownPayee}`,
        amount,
        idempotencyKey: key(),
      });
      assert.equal((await db.transfer.findUniqueOrThrow({ where: { id: r.id } })).sca, "EXEMPT_LOW_VALUE");
    }
    // $199.98 used of $250.00: $50.03 would exceed it.
    await pendingIntent(c, {
      fromAccountId: c.checking,
      to: `payee:${c.knownPayee}`,
      amount: "50.03",
      idempotencyKey: key(),
    });
    // A new payee is never exempt.
    await pendingIntent(c, {
      fromAccountId: c.checking,
      to: `payee:${c.payee}`,
      amount: "1.00",
      idempotencyKey: key(),
    });
    const exempted = await db.auditEvent.count({
      where: { userId: c.actor.id, action: "assurance.decision", outcome: "EXEMPTED", reason: "low_value" },
    });
    assert.equal(exempted, 2);
  });

  it("the daily exemption budget holds when ten small payments race (PSD2 RTS Art. 16)", async () => {
    const c = await customer("dave");
    const outcomes = await Promise.allSettled(
      Array.from({ length: 10 }, () =>
        perform(transfers.transfer, c.actor, {
          fromAccountId: c.checking,
          to: `payee:${c.knownPayee}`,
          amount: "99.99",
          idempotencyKey: key(),
        }),
      ),
    );
    const moved = await db.transfer.findMany({ where: { userId: c.actor.id, payeeId: c.knownPayee } });
    const exemptTotal = moved.filter((t) => t.sca === "EXEMPT_LOW_VALUE").reduce((sum, t) => sum + t.amount, 0n);
    assert.equal(moved.length, 2, "two fit in $250.00, whatever the interleaving");
    assert.equal(exemptTotal, 19_998n);
    const stepUps = outcomes.filter(
      (o) => o.status === "rejected" && o.reason instanceof guardModule.StepUpRequired,
    ).length;
    assert.equal(stepUps, 8, "every other payment waits for a passkey instead");
  });

  it("an expired or cancelled intent can't be authorised", async () => {
    const expired = await pendingIntent(alice, {
      fromAccountId: alice.checking,
      to: `payee:${alice.knownPayee}`,
      amount: "111.00",
      idempotencyKey: key(),
    });
    await db.stepUpIntent.update({ where: { id: expired }, data: { expiresAt: new Date(Date.now() - 1000) } });
    assert.equal((await intents.findIntent(alice.actor, expired))?.status, "EXPIRED");
    assert.equal(await intents.authoriseIntent(alice.actor, expired, signedFor.get(expired)!), false);

    const cancelled = await pendingIntent(alice, {
      fromAccountId: alice.checking,
      to: `payee:${alice.knownPayee}`,
      amount: "112.00",
      idempotencyKey: key(),
    });
    assert.equal(await intents.cancelIntent(alice.actor, cancelled), true);
    assert.equal(await intents.cancelIntent(alice.actor, cancelled), false);
    assert.equal(await intents.authoriseIntent(alice.actor, cancelled, signedFor.get(cancelled)!), false);
    assert.equal((await intents.findIntent(alice.actor, cancelled))?.status, "CANCELLED");
  });

  it("the state machine allows only its arrows", () => {
    const all = ["PENDING", "AUTHORISED", "CONSUMED", "CANCELLED", "EXPIRED"] as const;
    const allowed = new Set(["PENDING>AUTHORISED", "PENDING>CANCELLED", "AUTHORISED>CONSUMED", "AUTHORISED>CANCELLED"]);
    for (const from of all)
      for (const to of all)
        assert.equal(intents.canTransition(from, to), allowed.has(`${from}>${to}`), `${from}>${to}`);
  });

  it("own-account transfers need no step-up, and that decision is audited too", async () => {
    const savings = (await db.account.findFirstOrThrow({ where: { userId: bob.actor.id, type: "SAVINGS" } })).id;
    await perform(transfers.transfer, bob.actor, {
      fromAccountId: bob.checking,
      to: `account:${savings}`,
      amount: "50.00",
      idempotencyKey: key(),
    });
    const audit = await db.auditEvent.findFirst({
      where: { userId: bob.actor.id, action: "assurance.decision" },
      orderBy: { createdAt: "desc" },
    });
    assert.equal(audit?.outcome, "SUCCESS");
    assert.equal(audit?.reason, "no_step_up_needed");
    assert.match(audit?.metadata ?? "", /"policy":"transfer.own"/);
  });

  it("an allowed operation commits once: the guard's decision is written with the operation's own records, in one INSERT", async () => {
    const savings = (await db.account.findFirstOrThrow({ where: { userId: bob.actor.id, type: "SAVINGS" } })).id;
    const before = await db.auditEvent.count({ where: { userId: bob.actor.id } });
    const { commits, writes } = await statementsOf(() =>
      perform(transfers.transfer, bob.actor, {
        fromAccountId: bob.checking,
        to: `account:${savings}`,
        amount: "5.00",
        idempotencyKey: key(),
      }),
    );
    assert.equal(commits, 1, "one transaction commits the transfer and every record of it");
    const auditInserts = writes.filter((w) => /INSERT INTO \S*"?AuditEvent/.test(w.replaceAll("`", '"')));
    assert.equal(auditInserts.length, 1, writes.join("\n"));
    const rows = await db.auditEvent.findMany({
      where: { userId: bob.actor.id },
      orderBy: { createdAt: "asc" },
      skip: before,
    });
    assert.deepEqual(rows.map((r) => [r.action, r.outcome]).sort(), [
      ["assurance.decision", "SUCCESS"],
      ["transfer.create", "SUCCESS"],
    ]);
  });

  it("a step-up requirement commits once: the intent and the decision that asked for it, together", async () => {
    const { commits, writes } = await statementsOf(() =>
      guardModule
        .guard(alice.actor, "account.reveal", { payload: { accountId: alice.checking } })
        .then(() => assert.fail("expected a step-up"))
        .catch((err: unknown) => {
          if (!(err instanceof guardModule.StepUpRequired)) throw err;
          return err.intentId;
        }),
    );
    // Prisma reports a transaction's COMMIT (not its BEGIN): one, and no write outside it.
    assert.equal(commits, 1, writes.join("\n"));
    assert.deepEqual(
      writes.map((w) => /INSERT INTO \S*?"?(\w+)"? /.exec(w.replaceAll("`", '"'))?.[1]),
      ["StepUpIntent", "AuditEvent"],
    );
  });

  it("a grace window the session's claims already satisfy is decided on them alone: the guard sends no SQL", async () => {
    const now = Math.floor(Date.now() / 1000);
    const steppedUp: Actor = {
      ...alice.actor,
      claims: {
        amr: ["pwd", "hwk", "user", "mfa"],
        acr: "urn:vault:acr:phr",
        auth_time: now - 900,
        phr_time: now - 120,
      },
    };
    const { result: pass, statements } = await statementsOf(() =>
      guardModule.guard(steppedUp, "account.reveal", { payload: { accountId: alice.checking } }),
    );
    assert.equal(pass.outcome, "allowed");
    assert.deepEqual(statements, []);
    // A policy the user's facts can change (held after a recovery sign-in) still reads them.
    const { statements: read } = await statementsOf(() =>
      guardModule.guard(steppedUp, "recovery.regenerate", { payload: {} }),
    );
    assert.equal(read.length, 1, read.join("\n"));
    // And a session past the window still asks for a passkey.
    await assert.rejects(
      guardModule.guard({ ...steppedUp, claims: { ...steppedUp.claims, phr_time: now - 601 } }, "account.reveal", {
        payload: { accountId: alice.checking },
      }),
      guardModule.StepUpRequired,
    );
  });

  it("a decision whose operation fails when it runs is still audited, once", async () => {
    const { z } = await import("zod");
    // The transfer operation, but whose run fails the way a rule re-checked inside the transaction does.
    const failing = {
      ...transfers.transfer,
      input: z.object({}),
      prepare: async () => ({ action: "transfer.own" as const, payload: { test: "fails in run" }, carry: null }),
      run: async () => {
        throw new errors.DomainError("not_found", "Gone meanwhile.");
      },
    } as unknown as typeof transfers.transfer;
    const before = await db.auditEvent.count({ where: { userId: bob.actor.id, action: "assurance.decision" } });
    await assert.rejects(perform(failing, bob.actor, {}), /Gone meanwhile/);
    const decisions = await db.auditEvent.findMany({
      where: { userId: bob.actor.id, action: "assurance.decision" },
      orderBy: { createdAt: "asc" },
      skip: before,
    });
    assert.deepEqual(
      decisions.map((d) => [d.outcome, d.reason]),
      [["SUCCESS", "no_step_up_needed"]],
    );
  });
});

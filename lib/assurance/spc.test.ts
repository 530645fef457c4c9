import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { signedUpCustomerWithPasskey } from "@/lib/testing/fixtures";
import type { SoftAuthenticator } from "@/lib/testing/soft-authenticator";
import { raiseInProcess, shownPayment, TEST_RP } from "@/lib/testing/step-up-in-process";
import { createTestDatabase, TEST_PROVIDER, type TestDatabase } from "@/lib/testing/test-db";

/**
 * Secure Payment Confirmation on the server (lib/assurance/spc.ts), with the software authenticator
 * signing "payment.get" client data as the browser's payment dialog does: what the dialog showed must
 * be the stored intent, an SPC assertion answers only the intent and ceremony it was issued for, and
 * a refusal is a failed step-up (audited, counted, the intent still pending). The browser's side is
 * e2e/spc.spec.ts.
 */
let testDb: TestDatabase;
let db: typeof import("@/lib/db").db;
let stepUp: typeof import("@/lib/assurance/step-up");
let perform: typeof import("@/lib/assurance/pipeline").perform;
let transfers: typeof import("@/lib/banking/transfers");
let guardModule: typeof import("@/lib/assurance/guard");
type User = import("@/lib/auth/current-user").SessionUser;
type Customer = { user: User; key: SoftAuthenticator; checking: string; payee: string };

before(async () => {
  testDb = await createTestDatabase();
  db = (await import("@/lib/db")).db;
  stepUp = await import("@/lib/assurance/step-up");
  perform = (await import("@/lib/assurance/pipeline")).perform;
  transfers = await import("@/lib/banking/transfers");
  guardModule = await import("@/lib/assurance/guard");
});
after(async () => {
  await db?.$disconnect();
  await testDb?.drop();
});

/** A customer whose passkey was made with the payment extension, and a new payee, ACME Ltd. */
async function customer(): Promise<Customer> {
  const { userId: id, email, key } = await signedUpCustomerWithPasskey(db, "Spc");
  await db.passkey.updateMany({ where: { userId: id }, data: { payment: true } });
  const user: User = {
    id,
    email,
    name: "Spc",
    sid: `sid-spc-${randomUUID()}`,
    claims: { amr: ["pwd"], acr: "urn:vault:acr:aal1", auth_time: Math.floor(Date.now() / 1000) },
  };
  const checking = await db.account.findFirstOrThrow({ where: { userId: id, type: "CHECKING" } });
  const payee = await db.payee.create({
    data: { userId: id, name: "ACME Ltd", iban: "GB82WEST12345698765432", currency: "USD" },
  });
  return { user, key, checking: checking.id, payee: payee.id };
}

/** A $125.00 payment to the payee, waiting for a bound step-up. */
async function pendingPayment(c: Customer, amount = "125.00"): Promise<string> {
  try {
    await perform(transfers.transfer, c.user, {
      fromAccountId: c.checking,
      to: `payee:${c.payee}`,
      amount,
      idempotencyKey: randomUUID().replaceAll("-", ""),
    });
  } catch (err) {
    if (err instanceof guardModule.StepUpRequired) return err.intentId;
    throw err;
  }
  throw new Error("expected a step-up");
}

async function beginSpc(c: Customer, intentId: string) {
  const begin = await stepUp.beginStepUpFor(c.user, intentId, "spc");
  assert.ok(begin.ok, JSON.stringify(begin));
  assert.ok(begin.spc, "the challenge was issued for the payment dialog");
  return begin.spc;
}

const intentRow = (id: string) => db.stepUpIntent.findUniqueOrThrow({ where: { id } });
const lastVerify = async (userId: string) =>
  db.auditEvent.findFirstOrThrow({ where: { userId, action: "step_up.verify" }, orderBy: { createdAt: "desc" } });

describe(`Secure Payment Confirmation on the server (${TEST_PROVIDER})`, () => {
  it("asks the dialog to show the intent's payee, amount and account, and accepts exactly that, once", async () => {
    const c = await customer();
    const intentId = await pendingPayment(c, "1250.00");
    const spc = await beginSpc(c, intentId);
    const account = await db.account.findUniqueOrThrow({ where: { id: c.checking } });
    assert.equal(spc.payeeName, "ACME Ltd");
    assert.deepEqual(spc.total, { value: "1250.00", currency: "USD" });
    assert.equal(spc.instrument.displayName, `${account.name} (•••• ${account.number.slice(-4)})`);
    assert.deepEqual(spc.credentialIds, [c.key.credentialId]);
    assert.equal(spc.rpId, TEST_RP.rpId);
    assert.equal((await intentRow(intentId)).ceremony, "spc");

    const assertion = c.key.assert({ challenge: spc.challenge, ...TEST_RP, payment: shownPayment(spc) });
    const done = await stepUp.completeStepUpFor(c.user, intentId, assertion, raiseInProcess);
    assert.equal(done.ok, true, JSON.stringify(done));
    const transfer = await db.transfer.findFirstOrThrow({ where: { userId: c.user.id, payeeId: { not: null } } });
    assert.equal(transfer.sca, "STEP_UP_SPC");
    assert.equal(transfer.amount, 125_000n);
    const audit = await lastVerify(c.user.id);
    assert.equal(audit.outcome, "SUCCESS");
    assert.equal(JSON.parse(audit.metadata).ceremony, "spc");
    // Single use: the same assertion again changes nothing.
    const again = await stepUp.completeStepUpFor(c.user, intentId, assertion, raiseInProcess);
    assert.equal(again.ok, false);
    assert.equal(await db.transfer.count({ where: { userId: c.user.id, payeeId: { not: null } } }), 1);
  });

  it("refuses a signed payment whose amount, currency, payee, account, rpId or top origin differs from the intent, as a failed step-up", async () => {
    const cases: [string, (spc: import("@/lib/assurance/spc").SpcRequest) => Record<string, unknown>][] = [
      ["payment_amount", (spc) => ({ total: { ...spc.total, value: "1.25" } })],
      ["payment_currency", (spc) => ({ total: { ...spc.total, currency: "EUR" } })],
      ["payment_payee", () => ({ payeeName: "Mallory" })],
      ["payment_instrument", () => ({ instrument: { displayName: "Savings (•••• 0000)" } })],
      ["payment_rp_id", () => ({ rpId: "evil.example" })],
      ["payment_top_origin", () => ({ topOrigin: "https://evil.example" })],
    ];
    // Three customers, two cases each: the lockout pauses confirmation after five failures in a row.
    for (let i = 0; i < cases.length; i += 2) {
      const c = await customer();
      const intentId = await pendingPayment(c);
      for (const [reason, change] of cases.slice(i, i + 2)) {
        const spc = await beginSpc(c, intentId);
        const before = (await intentRow(intentId)).failedAttempts;
        const assertion = c.key.assert({
          challenge: spc.challenge,
          ...TEST_RP,
          payment: shownPayment(spc, change(spc)),
        });
        const done = await stepUp.completeStepUpFor(c.user, intentId, assertion, raiseInProcess);
        assert.equal(done.ok, false, reason);
        assert.ok(!done.ok && done.code === "failed" && done.message.includes("payment dialog"), JSON.stringify(done));
        const row = await intentRow(intentId);
        assert.equal(row.status, "PENDING", reason);
        assert.equal(row.failedAttempts, before + 1, `${reason}: counted toward the lockout`);
        assert.equal(row.challengeNonce, null, `${reason}: the challenge is spent`);
        const audit = await lastVerify(c.user.id);
        assert.deepEqual([audit.outcome, audit.reason], ["FAILURE", reason]);
      }
      assert.equal(await db.transfer.count({ where: { userId: c.user.id, payeeId: { not: null } } }), 0);
      assert.equal((await stepUp.confirmable(c.user, intentId)).ok, true, "still pending and confirmable");
    }
  });

  it("an assertion for intent A's dialog can't confirm intent B", async () => {
    const c = await customer();
    const a = await pendingPayment(c, "10.00");
    const b = await pendingPayment(c, "20.00");
    const spcA = await beginSpc(c, a);
    await beginSpc(c, b);
    const forA = c.key.assert({ challenge: spcA.challenge, ...TEST_RP, payment: shownPayment(spcA) });
    const done = await stepUp.completeStepUpFor(c.user, b, forA, raiseInProcess);
    assert.equal(done.ok, false);
    assert.equal((await intentRow(b)).status, "PENDING");
    assert.equal((await intentRow(a)).status, "PENDING");
    assert.equal(await db.transfer.count({ where: { userId: c.user.id, payeeId: { not: null } } }), 0);
  });

  it("a WebAuthn assertion doesn't answer a challenge issued for the payment dialog, nor the other way round", async () => {
    const c = await customer();
    const intentId = await pendingPayment(c);
    // Issued for SPC, answered by a plain webauthn.get over the same challenge: refused.
    const spc = await beginSpc(c, intentId);
    const plain = c.key.assert({ challenge: spc.challenge, ...TEST_RP });
    const first = await stepUp.completeStepUpFor(c.user, intentId, plain, raiseInProcess);
    assert.equal(first.ok, false);
    assert.equal((await lastVerify(c.user.id)).reason, "ceremony_mismatch");
    // Issued for WebAuthn, answered by a payment.get that shows the right payment: refused too.
    const begin = await stepUp.beginStepUpFor(c.user, intentId, "webauthn");
    assert.ok(begin.ok && begin.spc === null);
    assert.equal((await intentRow(intentId)).ceremony, "webauthn");
    const viaDialog = c.key.assert({ challenge: begin.options.challenge, ...TEST_RP, payment: shownPayment(spc) });
    const second = await stepUp.completeStepUpFor(c.user, intentId, viaDialog, raiseInProcess);
    assert.equal(second.ok, false);
    assert.equal((await lastVerify(c.user.id)).reason, "ceremony_mismatch");
    assert.equal((await intentRow(intentId)).status, "PENDING");
    assert.equal(await db.transfer.count({ where: { userId: c.user.id, payeeId: { not: null } } }), 0);
    // …and the ceremony it was issued for still works.
    const again = await stepUp.beginStepUpFor(c.user, intentId, "webauthn");
    assert.ok(again.ok);
    const ok = await stepUp.completeStepUpFor(
      c.user,
      intentId,
      c.key.assert({ challenge: again.options.challenge, ...TEST_RP }),
      raiseInProcess,
    );
    assert.equal(ok.ok, true, JSON.stringify(ok));
    assert.equal(
      (await db.transfer.findFirstOrThrow({ where: { userId: c.user.id, payeeId: { not: null } } })).sca,
      "STEP_UP",
    );
  });

  it("uses WebAuthn for what isn't a payment, and for a passkey made without the payment extension", async () => {
    const c = await customer();
    // Not a payment: adding a payee.
    let payeeIntent = "";
    try {
      await perform((await import("@/lib/banking/payees")).payeeAdd, c.user, {
        name: "Northwind",
        scheme: "iban",
        iban: "DE89370400440532013000",
      });
    } catch (err) {
      if (!(err instanceof guardModule.StepUpRequired)) throw err;
      payeeIntent = err.intentId;
    }
    assert.ok(payeeIntent);
    const notPayment = await stepUp.beginStepUpFor(c.user, payeeIntent, "spc");
    assert.ok(notPayment.ok && notPayment.spc === null);
    assert.equal((await intentRow(payeeIntent)).ceremony, "webauthn");
    // A payment, but no passkey that can sign in the dialog.
    await db.passkey.updateMany({ where: { userId: c.user.id }, data: { payment: false } });
    const payment = await pendingPayment(c);
    const noKey = await stepUp.beginStepUpFor(c.user, payment, "spc");
    assert.ok(noKey.ok && noKey.spc === null);
    assert.equal((await intentRow(payment)).ceremony, "webauthn");
  });
});

import assert from "node:assert/strict";
import { randomBytes, randomUUID } from "node:crypto";
import { describe, it } from "node:test";
import { addPasskey, settle, signedUpCustomerWithPasskey } from "@/lib/testing/fixtures";
import type { SoftAuthenticator } from "@/lib/testing/soft-authenticator";
import { statementsOf } from "@/lib/testing/statements";
import { stepUpInProcess } from "@/lib/testing/step-up-in-process";
import { TEST_PROVIDER, withTestDb } from "@/lib/testing/test-db";

/**
 * Risk-aware step-up through the real guard and pipeline, on the real database: the device, network
 * and security-change signals decide whether a payment to a regular payee needs a passkey
 * (lib/risk, docs/risk.md). The signals' own thresholds are unit-tested in signals.test.ts.
 */
let perform: typeof import("@/lib/assurance/pipeline").perform;
let transfers: typeof import("@/lib/banking/transfers");
let guardModule: typeof import("@/lib/assurance/guard");
let intents: typeof import("@/lib/assurance/intents");
let device: typeof import("@/lib/risk/device");
let errors: typeof import("@/lib/errors");
type User = import("@/lib/auth/current-user").SessionUser;
type Context = import("@/lib/assurance/operation").BrowserContext;

const DAY = 24 * 60 * 60 * 1000;
const HOME_IP = "198.51.100.7";

const testDb = withTestDb(async () => {
  perform = (await import("@/lib/assurance/pipeline")).perform;
  transfers = await import("@/lib/banking/transfers");
  guardModule = await import("@/lib/assurance/guard");
  intents = await import("@/lib/assurance/intents");
  device = await import("@/lib/risk/device");
  errors = await import("@/lib/errors");
});

type Customer = { user: User; key: SoftAuthenticator; checking: string; landlord: string; deviceId: string };

/**
 * A customer of four months' standing, at home: a device a passkey proved last week, signed in from
 * their usual network, and a landlord paid $400.00 on each of the last three months.
 */
async function regularCustomer(): Promise<Customer> {
  const db = testDb.db;
  const c = await signedUpCustomerWithPasskey(db, "Renter");
  const landlord = await db.payee.create({
    data: { userId: c.userId, name: "Landlord", iban: "DE89370400440532013000", currency: "USD" },
  });
  await settle(db, c.userId, 120);
  const checking = c.accountIds[0];
  const actor = {
    id: c.userId,
    sid: `sid-${randomUUID()}`,
    claims: { amr: ["pwd"], acr: "urn:vault:acr:aal1" as const, auth_time: Math.floor(Date.now() / 1000) },
  };
  for (const monthsAgo of [3, 2, 1]) {
    const input = { fromAccountId: checking, to: `payee:${landlord.id}`, amount: "400.00", idempotencyKey: key() };
    const paid = await withStepUp(actor, input);
    await db.transfer.update({
      where: { id: paid.id },
      data: { createdAt: new Date(Date.now() - (monthsAgo * 30 - 2) * DAY) },
    });
  }
  // Earlier sign-ins from the home network, and tonight's.
  const sid = `sid-${randomUUID()}`;
  await db.session.createMany({
    data: [
      {
        id: `old-${randomUUID()}`,
        userId: c.userId,
        method: "passkey",
        ip: "198.51.100.20",
        createdAt: new Date(Date.now() - 20 * DAY),
        expiresAt: new Date(Date.now() - 19 * DAY),
      },
      {
        id: sid,
        userId: c.userId,
        method: "password",
        ip: HOME_IP,
        createdAt: new Date(Date.now() - 5 * 60_000),
        expiresAt: new Date(Date.now() + DAY),
      },
    ],
  });
  const deviceId = randomBytes(16).toString("base64url");
  await device.rememberDevice(
    db,
    c.userId,
    deviceId,
    "Mozilla/5.0 (X11; Linux x86_64) Chrome/140.0.0.0",
    new Date(Date.now() - 7 * DAY),
  );
  const user: User = {
    ...actor,
    sid,
    email: c.email,
    name: "Renter",
    context: {
      deviceId,
      ip: HOME_IP,
      userAgent: null,
      signInIp: HOME_IP,
      signedInAt: new Date(Date.now() - 5 * 60_000),
    },
  };
  return { user, key: c.key, checking, landlord: landlord.id, deviceId };
}

const key = () => randomUUID().replaceAll("-", "");
const rent = (c: Customer, amount = "400.00") => ({
  fromAccountId: c.checking,
  to: `payee:${c.landlord}`,
  amount,
  idempotencyKey: key(),
});
const at = (c: Customer, context: Partial<Context>): User => ({
  ...c.user,
  context: { ...c.user.context!, ...context },
});

/** Runs a payment, confirming its intent directly when the guard asks (the state a verified passkey makes). */
async function withStepUp(actor: import("@/lib/assurance/operation").Actor, input: Record<string, unknown>) {
  try {
    return await perform(transfers.transfer, actor, input);
  } catch (err) {
    if (!(err instanceof guardModule.StepUpRequired)) throw err;
    const { payload } = await testDb.db.stepUpIntent.findUniqueOrThrow({ where: { id: err.intentId } });
    assert.equal(await intents.authoriseIntent(actor, err.intentId, payload), true);
    return perform(transfers.transfer, actor, input, { intentId: err.intentId });
  }
}

/** The step-up the guard asks for instead of paying, with the signals it stored for the page. */
async function refusedWithStepUp(user: User, input: Record<string, unknown>) {
  const err = await perform(transfers.transfer, user, input).then(
    () => assert.fail("expected a step-up"),
    (e: unknown) => e,
  );
  assert.ok(err instanceof guardModule.StepUpRequired, String(err));
  const intent = await intents.findIntent(user, err.intentId);
  return { reason: err.reason, intentId: err.intentId, signals: intent?.risk.map((s) => s.code) };
}

describe(`risk-aware step-up (${TEST_PROVIDER})`, () => {
  it("a known device paying the usual rent to a regular payee goes through with no prompt, audited as a TRA exemption (PSD2 RTS Art. 18)", async () => {
    const c = await regularCustomer();
    const paid = await perform(transfers.transfer, c.user, rent(c));
    const row = await testDb.db.transfer.findUniqueOrThrow({ where: { id: paid.id } });
    assert.equal(row.sca, "EXEMPT_TRA");
    const decision = await testDb.db.auditEvent.findFirstOrThrow({
      where: { userId: c.user.id, action: "assurance.decision" },
      orderBy: { createdAt: "desc" },
    });
    assert.equal(decision.outcome, "EXEMPTED");
    assert.equal(decision.reason, "low_risk");
    assert.match(decision.metadata ?? "", /"risk":"low","signals":""/);
  });

  it("without a browser (an API client's actor has no device) the usual rent asks; the low-value exemption still applies", async () => {
    const c = await regularCustomer();
    const api = { ...c.user, context: undefined };
    const asked = await refusedWithStepUp(api, rent(c));
    assert.deepEqual([asked.reason, asked.signals], ["bound_action", []]);
    const small = await perform(transfers.transfer, api, rent(c, "5.00"));
    assert.equal((await testDb.db.transfer.findUniqueOrThrow({ where: { id: small.id } })).sca, "EXEMPT_LOW_VALUE");
  });

  it("the same payment from a new device asks for a bound passkey, and says why", async () => {
    const c = await regularCustomer();
    const asked = await refusedWithStepUp(at(c, { deviceId: null }), rent(c));
    assert.deepEqual(asked, { ...asked, reason: "elevated_risk", signals: ["new_device"] });
    // Another customer's genuine device cookie is a new device here too: known is per customer.
    const other = await regularCustomer();
    assert.equal((await refusedWithStepUp(at(c, { deviceId: other.deviceId }), rent(c))).signals?.[0], "new_device");
  });

  it("a forged or tampered device cookie is a new device, never a known one", async () => {
    const c = await regularCustomer();
    const genuine = device.sealDeviceId(c.deviceId);
    assert.equal(device.openDeviceCookie(genuine), c.deviceId);
    const [id, mac] = genuine.split(".");
    const flipped = `${id}.${mac.slice(0, -2)}${mac.endsWith("AA") ? "AB" : "AA"}`;
    for (const forged of [flipped, id, `${id}.`, `${randomBytes(16).toString("base64url")}.${mac}`, "", `${genuine}x`])
      assert.equal(device.openDeviceCookie(forged), null, forged);
    // What a forged cookie leaves the actor with: no device id, so the payment asks.
    assert.deepEqual(
      (await refusedWithStepUp(at(c, { deviceId: device.openDeviceCookie(flipped) }), rent(c))).signals,
      ["new_device"],
    );
  });

  it("the same payment from another network than the sign-in's, or a network never seen, asks for a bound passkey", async () => {
    const c = await regularCustomer();
    const moved = await refusedWithStepUp(at(c, { ip: "203.0.113.9" }), rent(c));
    assert.deepEqual([moved.reason, moved.signals], ["elevated_risk", ["network_changed"]]);
    const fresh = await refusedWithStepUp(at(c, { ip: "203.0.113.9", signInIp: "203.0.113.9" }), rent(c));
    assert.deepEqual(fresh.signals, ["new_network"]);
    // The same /24 as the sign-in's is the same network.
    const paid = await perform(transfers.transfer, at(c, { ip: "198.51.100.99" }), rent(c));
    assert.equal((await testDb.db.transfer.findUniqueOrThrow({ where: { id: paid.id } })).sca, "EXEMPT_TRA");
  });

  it("in the 24 hours after a password change every payment asks, whatever its size; the low-value exemption too", async () => {
    const c = await regularCustomer();
    await testDb.db.user.update({
      where: { id: c.user.id },
      data: { passwordChangedAt: new Date(Date.now() - 60_000) },
    });
    for (const amount of ["400.00", "5.00"]) {
      const asked = await refusedWithStepUp(c.user, rent(c, amount));
      assert.deepEqual([asked.reason, asked.signals], ["elevated_risk", ["recent_password_change"]], amount);
    }
  });

  it("high risk runs only if the passkey that confirmed it was enrolled before the last 24 hours", async () => {
    const c = await regularCustomer();
    const thief = at(c, { deviceId: null, ip: "203.0.113.9" });
    await testDb.db.user.update({
      where: { id: c.user.id },
      data: { passwordChangedAt: new Date(Date.now() - 60_000) },
    });
    const input = rent(c, "20.00");
    const asked = await refusedWithStepUp(thief, input);
    assert.deepEqual(
      [asked.reason, asked.signals],
      ["high_risk", ["new_device", "network_changed", "recent_password_change"]],
    );
    const { payload } = await testDb.db.stepUpIntent.findUniqueOrThrow({ where: { id: asked.intentId } });
    const fresh = await addPasskey(testDb.db, c.user.id, "Added today");
    assert.equal(await intents.authoriseIntent(thief, asked.intentId, payload, `passkey:${fresh.credentialId}`), true);
    const before = await testDb.db.account.findUniqueOrThrow({ where: { id: c.checking } });
    await assert.rejects(
      perform(transfers.transfer, thief, input, { intentId: asked.intentId }),
      (e: unknown) => e instanceof errors.DomainError && e.code === "high_risk",
    );
    assert.equal((await testDb.db.account.findUniqueOrThrow({ where: { id: c.checking } })).balance, before.balance);
    // The customer's own passkey, enrolled months ago, confirms the same kind of payment.
    const retry = { ...input, idempotencyKey: key() };
    const again = await refusedWithStepUp(thief, retry);
    const stored = await testDb.db.stepUpIntent.findUniqueOrThrow({ where: { id: again.intentId } });
    assert.equal(
      await intents.authoriseIntent(thief, again.intentId, stored.payload, `passkey:${c.key.credentialId}`),
      true,
    );
    const paid = await perform(transfers.transfer, thief, retry, { intentId: again.intentId });
    assert.equal((await testDb.db.transfer.findUniqueOrThrow({ where: { id: paid.id } })).sca, "STEP_UP");
  });

  it("the TRA exemption holds under a race: of 20 concurrent usual payments, only what the usual pace allows goes without a passkey", async () => {
    const c = await regularCustomer();
    // Money isn't what is tested here: enough for all twenty.
    await testDb.db.account.update({ where: { id: c.checking }, data: { balance: { increment: 1_000_000n } } });
    const outcomes = await Promise.allSettled(
      Array.from({ length: 20 }, () => perform(transfers.transfer, c.user, rent(c))),
    );
    const exempt = await testDb.db.transfer.count({
      where: { userId: c.user.id, sca: "EXEMPT_TRA", createdAt: { gt: new Date(Date.now() - 60 * 60_000) } },
    });
    // The busiest day so far is one $400.00 rent: up to $1,000.00 a day is usual (the floor), so two.
    assert.equal(exempt, 2);
    const asked = outcomes.filter((o) => o.status === "rejected" && o.reason instanceof guardModule.StepUpRequired);
    assert.equal(
      asked.length,
      18,
      JSON.stringify(outcomes.filter((o) => o.status === "rejected").map((o) => String(o.reason))),
    );
  });

  it("a passkey confirmed on a new device makes it known: the next usual payment needs none, and a known device's step-up writes nothing more", async () => {
    const c = await regularCustomer();
    const laptop = at(c, { deviceId: randomBytes(16).toString("base64url") });
    const asked = await refusedWithStepUp(laptop, rent(c));
    assert.deepEqual(asked.signals, ["new_device"]);
    const result = await stepUpInProcess(laptop, asked.intentId, c.key);
    assert.equal(result.ok, true, JSON.stringify(result));
    assert.equal(
      await testDb.db.knownDevice.count({ where: { userId: c.user.id, deviceId: laptop.context!.deviceId! } }),
      1,
    );
    const paid = await perform(transfers.transfer, laptop, rent(c));
    assert.equal((await testDb.db.transfer.findUniqueOrThrow({ where: { id: paid.id } })).sca, "EXEMPT_TRA");

    // A step-up on a device already known (a new payee is always bound) remembers nothing again.
    const payee = await testDb.db.payee.create({
      data: { userId: c.user.id, name: "New shop", iban: "GB82WEST12345698765432", currency: "USD" },
    });
    const bound = await refusedWithStepUp(laptop, { ...rent(c, "10.00"), to: `payee:${payee.id}` });
    assert.equal(bound.signals?.includes("new_device"), false);
    const { result: confirmed, statements } = await statementsOf(() => stepUpInProcess(laptop, bound.intentId, c.key));
    assert.equal(confirmed.ok, true, JSON.stringify(confirmed));
    assert.equal(statements.filter((s) => /KnownDevice/.test(s)).length, 0, statements.join("\n"));
  });
});

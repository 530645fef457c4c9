import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  amountSignal,
  assessRisk,
  changeSignals,
  deviceSignal,
  networkOf,
  networkSignals,
  payeeSignals,
  sessionSignal,
  velocitySignals,
  type PastPayment,
  type RiskFacts,
} from "@/lib/risk/signals";
import { RISK } from "@/lib/risk/thresholds";

const NOW = Date.UTC(2026, 10, 28, 12);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** A customer at home: a known device proved last week, the sign-in's network, an old regular payee. */
const calm = (over: Partial<RiskFacts> = {}): RiskFacts => ({
  now: NOW,
  device: { known: true, lastProvedAt: NOW - 7 * DAY },
  network: { current: "198.51.100.7", atSignIn: "198.51.100.7", seenBefore: ["198.51.100.20"] },
  session: { startedAt: NOW - 10 * 60_000 },
  changes: {
    passwordChangedAt: null,
    passkeyAddedAt: null,
    recoverySignInAt: null,
    payeeAddedAt: null,
    payoutChangedAt: null,
  },
  ...over,
});
/** Rent: $1,500.00 on the 1st of each of the last three months, to the same payee. */
const rent: PastPayment[] = [1, 2, 3].map((m) => ({ amountMinor: 150_000n, at: NOW - m * 30 * DAY }));
const paying = (
  amountMinor: bigint,
  history: PastPayment[] = rent,
  payee = { timesPaid: 3, addedAt: NOW - 100 * DAY },
) => calm({ payment: { amountMinor, history, payee: { id: "p1", ...payee } } });
const codes = (s: { code: string }[]) => s.map((x) => x.code);

describe("risk signal: device", () => {
  it("a device no passkey has proved is new; an API client has none", () => {
    assert.equal(deviceSignal(calm())?.code, undefined);
    assert.deepEqual(deviceSignal(calm({ device: { known: false, lastProvedAt: null } })), {
      code: "new_device",
      level: "elevated",
    });
    assert.equal(deviceSignal(calm({ device: null })), null);
  });
  it("a known device last proved more than 90 days ago is stale", () => {
    const stale = calm({ device: { known: true, lastProvedAt: NOW - 91 * DAY } });
    assert.equal(deviceSignal(stale)?.code, "stale_device");
    assert.equal(deviceSignal(calm({ device: { known: true, lastProvedAt: NOW - 89 * DAY } })), null);
  });
});

describe("risk signal: network", () => {
  it("an address's network is its /24 or /48, whatever its spelling", () => {
    assert.equal(networkOf("198.51.100.7"), "198.51.100/24");
    assert.equal(networkOf("::ffff:198.51.100.7"), "198.51.100/24");
    assert.equal(networkOf("2001:db8:0a::1"), "2001:db8:a::/48");
    assert.equal(networkOf("2001:0db8:000a:0001:0:0:0:1"), "2001:db8:a::/48");
    assert.equal(networkOf("999.1.1.1"), null);
    assert.equal(networkOf("not-an-address"), null);
    assert.equal(networkOf("1::2::3"), null);
    assert.equal(networkOf(null), null);
  });
  it("another network than the sign-in's is a change; a network never seen before is new", () => {
    assert.deepEqual(networkSignals(calm()), []);
    const moved = calm({ network: { current: "203.0.113.9", atSignIn: "198.51.100.7", seenBefore: ["203.0.113.1"] } });
    assert.deepEqual(codes(networkSignals(moved)), ["network_changed"]);
    const first = calm({ network: { current: "203.0.113.9", atSignIn: "203.0.113.9", seenBefore: ["198.51.100.7"] } });
    assert.deepEqual(codes(networkSignals(first)), ["new_network"]);
    // The same /24 is the same network: a new address from the same provider pool is no signal.
    const sameNet = calm({
      network: { current: "198.51.100.99", atSignIn: "198.51.100.7", seenBefore: ["198.51.100.7"] },
    });
    assert.deepEqual(networkSignals(sameNet), []);
  });
  it("with no address (no trusted proxy configured) the network says nothing", () => {
    assert.deepEqual(
      networkSignals(calm({ network: { current: null, atSignIn: "198.51.100.7", seenBefore: [] } })),
      [],
    );
  });
});

describe("risk signal: session age", () => {
  it("a sign-in kept alive for more than 8 hours is unusual", () => {
    assert.equal(sessionSignal(calm()), null);
    assert.equal(sessionSignal(calm({ session: { startedAt: NOW - 9 * HOUR } }))?.code, "long_session");
    assert.equal(sessionSignal(calm({ session: null })), null);
  });
});

describe("risk signal: recent security changes", () => {
  const changed = (key: keyof RiskFacts["changes"], at: number) => calm({ changes: { ...calm().changes, [key]: at } });
  it("each change in the last 24 hours is a signal; older ones are not", () => {
    assert.deepEqual(codes(changeSignals(changed("passwordChangedAt", NOW - 23 * HOUR))), ["recent_password_change"]);
    assert.deepEqual(codes(changeSignals(changed("passkeyAddedAt", NOW - HOUR))), ["recent_passkey_added"]);
    assert.deepEqual(codes(changeSignals(changed("recoverySignInAt", NOW - HOUR))), ["recent_recovery_sign_in"]);
    assert.deepEqual(codes(changeSignals(changed("payoutChangedAt", NOW - HOUR))), ["recent_payout_change"]);
    assert.deepEqual(codes(changeSignals(changed("payeeAddedAt", NOW - HOUR))), ["recent_payee_added"]);
    assert.deepEqual(changeSignals(changed("passwordChangedAt", NOW - 25 * HOUR)), []);
  });
  it("a payee added lately counts once: as this payment's payee, not also as a change", () => {
    const f = {
      ...paying(5_000n, rent, { timesPaid: 0, addedAt: NOW - HOUR }),
      changes: { ...calm().changes, payeeAddedAt: NOW - HOUR },
    };
    assert.deepEqual(changeSignals(f), []);
    assert.deepEqual(codes(payeeSignals(f)), ["new_payee", "payee_added_recently"]);
  });
});

describe("risk signal: payee history", () => {
  it("a payee paid before and added long ago says nothing", () => {
    assert.deepEqual(payeeSignals(paying(5_000n)), []);
    assert.deepEqual(codes(payeeSignals(paying(5_000n, rent, { timesPaid: 0, addedAt: NOW - 30 * DAY }))), [
      "new_payee",
    ]);
  });
});

describe("risk signal: amount against the customer's own history", () => {
  it("the usual amount is no signal; above 1.2 × the 90-day maximum is", () => {
    assert.equal(amountSignal(paying(150_000n)), null);
    assert.equal(amountSignal(paying(180_000n)), null);
    assert.deepEqual(amountSignal(paying(180_001n)), { code: "unusual_amount", level: "elevated" });
  });
  it("five times the maximum, and at least $2,500.00, is high", () => {
    assert.equal(amountSignal(paying(750_001n))?.level, "high");
    const small = [1, 2, 3].map((m) => ({ amountMinor: 2_000n, at: NOW - m * DAY * 2 }));
    // Five times $20.00 is only $100.00: large against the history, but below the high floor.
    assert.equal(amountSignal(paying(200_000n, small))?.level, "elevated");
  });
  it("small amounts are never unusual; with little history (a new customer), $5,000.00 or more is", () => {
    const small = [1, 2, 3].map((m) => ({ amountMinor: 500n, at: NOW - m * DAY }));
    assert.equal(amountSignal(paying(9_999n, small)), null);
    assert.equal(amountSignal(paying(499_999n, rent.slice(0, 2))), null);
    assert.equal(amountSignal(paying(500_000n, rent.slice(0, 2)))?.code, "unusual_amount");
  });
});

describe("risk signal: velocity", () => {
  it("a fourth payment within the hour is many, unless the customer's busiest hour had more", () => {
    const thisHour = [1, 2, 3].map((m) => ({ amountMinor: 1_000n, at: NOW - m * 60_000 }));
    assert.deepEqual(velocitySignals(paying(1_000n, [...rent, ...thisHour.slice(0, 2)])), []);
    assert.deepEqual(codes(velocitySignals(paying(1_000n, [...rent, ...thisHour]))), ["many_payments"]);
    const busyBefore = [0, 1, 2, 3, 4].map((m) => ({ amountMinor: 1_000n, at: NOW - 10 * DAY - m * 60_000 }));
    assert.deepEqual(velocitySignals(paying(1_000n, [...rent, ...busyBefore, ...thisHour])), []);
  });
  it("more in 24 hours than twice the busiest day (at least $1,000.00) is a high daily total", () => {
    // The busiest day so far is one rent payment: $1,500.00, so up to $3,000.00 in a day is usual.
    const today = [{ amountMinor: 150_000n, at: NOW - 2 * HOUR }];
    assert.deepEqual(velocitySignals(paying(150_000n, [...rent, ...today])), []);
    assert.deepEqual(codes(velocitySignals(paying(150_001n, [...rent, ...today]))), ["high_daily_total"]);
    // A small busiest day: the floor, $1,000.00 in a day.
    const small = [1, 2, 3].map((m) => ({ amountMinor: 2_000n, at: NOW - m * 2 * DAY }));
    assert.deepEqual(velocitySignals(paying(100_000n, small)), []);
    assert.deepEqual(codes(velocitySignals(paying(100_001n, small))), ["high_daily_total"]);
    // Too little history to judge (a new customer): only $5,000.00 or more in a day.
    assert.deepEqual(velocitySignals(paying(500_000n, [])), []);
    assert.deepEqual(codes(velocitySignals(paying(500_001n, []))), ["high_daily_total"]);
  });
});

describe("risk level", () => {
  it("no signal is low risk; one elevated signal is elevated", () => {
    assert.deepEqual(assessRisk(paying(150_000n)), { level: "low", signals: [], knownDevice: true });
    assert.equal(assessRisk({ ...paying(150_000n), device: null }).knownDevice, false);
    const newDevice = { ...paying(150_000n), device: { known: false, lastProvedAt: null } };
    assert.equal(assessRisk(newDevice).level, "elevated");
  });
  it("elevated signals of three kinds together are high, as is one high signal; several of one kind are not", () => {
    const thief = {
      ...paying(9_900n, rent, { timesPaid: 1, addedAt: NOW - 60 * DAY }),
      device: { known: false, lastProvedAt: null },
      network: { current: "203.0.113.9", atSignIn: "198.51.100.7", seenBefore: [] },
      changes: { ...calm().changes, passwordChangedAt: NOW - HOUR },
    };
    const assessed = assessRisk(thief);
    assert.deepEqual(codes(assessed.signals), ["new_device", "network_changed", "recent_password_change"]);
    assert.equal(assessed.level, "high");
    assert.equal(RISK.highWhenElevated, 3);
    // A new customer's first payment to the payee they just added: two kinds (changes, payee), elevated.
    const firstDay = {
      ...paying(5_000n, [], { timesPaid: 0, addedAt: NOW - HOUR }),
      changes: { ...calm().changes, passkeyAddedAt: NOW - 2 * HOUR, payeeAddedAt: NOW - HOUR },
    };
    assert.deepEqual(codes(assessRisk(firstDay).signals), [
      "recent_passkey_added",
      "new_payee",
      "payee_added_recently",
    ]);
    assert.equal(assessRisk(firstDay).level, "elevated");
    // One large payment is one kind of evidence, however many amount signals it raises.
    const large = { ...paying(600_000n, [], { timesPaid: 0, addedAt: NOW - 30 * DAY }) };
    assert.deepEqual(codes(assessRisk(large).signals), ["new_payee", "unusual_amount", "high_daily_total"]);
    assert.equal(assessRisk(large).level, "elevated");
    assert.equal(assessRisk(paying(1_000_000n)).level, "high");
  });
});

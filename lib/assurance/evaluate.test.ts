import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ACR, recoverySignInClaims, type AssuranceClaims } from "@/lib/auth/claims";
import { evaluatePolicy, type GuardFacts } from "@/lib/assurance/evaluate";
import {
  LOW_VALUE_DAILY_BUDGET_MINOR,
  LOW_VALUE_MAX_MINOR,
  POLICIES,
  RECOVERY_COOLING_OFF_S,
} from "@/lib/assurance/policy";

const NOW = 1_800_000_000;
const password: AssuranceClaims = { amr: ["pwd"], acr: ACR.AAL1, auth_time: NOW - 60 };
const steppedUp = (ageS: number): AssuranceClaims => ({
  amr: ["pwd", "pop", "user", "mfa"],
  acr: ACR.PHR,
  auth_time: NOW - 7200,
  phr_time: NOW - ageS,
});
const facts = (f: Partial<GuardFacts> = {}): GuardFacts => ({ hasPasskey: true, ...f });
const decide = (action: keyof typeof POLICIES, claims: AssuranceClaims, f: Partial<GuardFacts> = {}) =>
  evaluatePolicy(POLICIES[action], claims, facts(f), NOW);

describe("policy: transfer to own account", () => {
  it("never needs step-up", () => {
    assert.equal(decide("transfer.own", password).outcome, "allowed");
    assert.equal(decide("transfer.own", password, { hasPasskey: false }).outcome, "allowed");
  });
});

describe("policy: transfer to a payee", () => {
  const known = { payeeIsNew: false, exemptedLast24hMinor: 0n };
  it("is exempt below $100.00 to a known payee within the daily budget (PSD2 RTS Art. 16)", () => {
    assert.deepEqual(decide("transfer.payee", password, { ...known, amountMinor: 9_999n }), {
      outcome: "exempted",
      reason: "low_value",
    });
  });
  it("needs a bound step-up at exactly $100.00", () => {
    const d = decide("transfer.payee", password, { ...known, amountMinor: LOW_VALUE_MAX_MINOR });
    assert.equal(d.outcome, "step_up");
    assert.deepEqual(d.outcome === "step_up" && d.requirement, { acr_values: ACR.PHR, max_age: 0, bound: true });
  });
  it("needs step-up for any amount to a new payee", () => {
    assert.equal(
      decide("transfer.payee", password, { payeeIsNew: true, exemptedLast24hMinor: 0n, amountMinor: 1n }).outcome,
      "step_up",
    );
  });
  it("needs step-up when the daily budget would be exceeded, and not when it is exactly used up", () => {
    const used = LOW_VALUE_DAILY_BUDGET_MINOR - 5_000n;
    assert.equal(
      decide("transfer.payee", password, { payeeIsNew: false, exemptedLast24hMinor: used, amountMinor: 5_000n })
        .outcome,
      "exempted",
    );
    assert.equal(
      decide("transfer.payee", password, { payeeIsNew: false, exemptedLast24hMinor: used, amountMinor: 5_001n })
        .outcome,
      "step_up",
    );
  });
  it("is bound: even a passkey one second ago doesn't cover a large transfer", () => {
    const d = decide("transfer.payee", steppedUp(1), { ...known, amountMinor: 125_000n });
    assert.deepEqual(d.outcome === "step_up" && d.reason, "bound_action");
  });
  it("a user with no passkey is sent to enrol one", () => {
    const d = decide("transfer.payee", password, { ...known, amountMinor: 125_000n, hasPasskey: false });
    assert.deepEqual(d.outcome === "step_up" && d.reason, "needs_passkey_enrolment");
  });
  it("without the amount known, no exemption applies", () => {
    assert.equal(decide("transfer.payee", password, { payeeIsNew: false }).outcome, "step_up");
  });
});

describe("policy: transfer to a payee, by risk level (lib/risk)", () => {
  const DAY_MS = 24 * 60 * 60 * 1000;
  /** A payment to a regular payee: paid three times, added 30 days ago. */
  const regular = (amountMinor: bigint, level: "low" | "elevated" | "high", payee = { timesPaid: 3, ageDays: 30 }) => ({
    payeeIsNew: false,
    exemptedLast24hMinor: 0n,
    amountMinor,
    payment: {
      amountMinor,
      payee: { id: "p", addedAt: NOW * 1000 - payee.ageDays * DAY_MS, timesPaid: payee.timesPaid },
      history: [],
    },
    risk: {
      level,
      signals: level === "low" ? [] : [{ code: "new_device" as const, level: "elevated" as const }],
      knownDevice: level === "low",
    },
  });
  it("low risk: a regular payee up to $2,000.00 is exempt by transaction-risk analysis (PSD2 RTS Art. 18)", () => {
    assert.deepEqual(decide("transfer.payee", password, regular(200_000n, "low")), {
      outcome: "exempted",
      reason: "low_risk",
    });
    // Below $100.00 the low-value exemption comes first (Art. 16), as before.
    assert.deepEqual(decide("transfer.payee", password, regular(5_000n, "low")), {
      outcome: "exempted",
      reason: "low_value",
    });
  });
  it("low risk: above the TRA limit, or to a payee paid once, or added less than 7 days ago, a bound passkey", () => {
    for (const f of [
      regular(200_001n, "low"),
      regular(150_000n, "low", { timesPaid: 1, ageDays: 30 }),
      regular(150_000n, "low", { timesPaid: 3, ageDays: 6 }),
    ]) {
      const d = decide("transfer.payee", password, f);
      assert.deepEqual(d.outcome === "step_up" && d.reason, "bound_action");
    }
  });
  it("no assessment at all is no TRA, nor a low one without a known device (an API client): only evidence earns it", () => {
    const { risk: _none, ...unassessed } = regular(150_000n, "low");
    assert.equal(decide("transfer.payee", password, unassessed).outcome, "step_up");
    const noDevice = regular(150_000n, "low");
    assert.equal(
      decide("transfer.payee", password, { ...noDevice, risk: { ...noDevice.risk, knownDevice: false } }).outcome,
      "step_up",
    );
  });
  it("elevated risk removes every exemption: a bound passkey even for $5.00", () => {
    for (const amount of [500n, 150_000n]) {
      const d = decide("transfer.payee", password, regular(amount, "elevated"));
      assert.deepEqual(d.outcome === "step_up" && [d.reason, d.requirement.bound], ["elevated_risk", true]);
    }
  });
  it("high risk: a bound passkey, with its own reason (the guard then checks the passkey's age when it runs)", () => {
    const d = decide("transfer.payee", steppedUp(1), regular(500n, "high"));
    assert.deepEqual(d.outcome === "step_up" && [d.reason, d.requirement.max_age], ["high_risk", 0]);
  });
});

describe("policy: add payee, change payout destination", () => {
  for (const action of ["payee.add", "payout.change"] as const) {
    it(`${action}: a bound passkey every time`, () => {
      for (const claims of [password, steppedUp(0), steppedUp(5)]) {
        const d = decide(action, claims);
        assert.equal(d.outcome, "step_up");
        assert.deepEqual(d.outcome === "step_up" && d.requirement, { acr_values: ACR.PHR, max_age: 0, bound: true });
      }
    });
  }
});

describe("policy: reveal (10-minute grace window, not bound)", () => {
  it("needs a passkey after a password sign-in", () => {
    const d = decide("account.reveal", password);
    assert.deepEqual(d.outcome === "step_up" && [d.reason, d.requirement], [
      "acr_too_low",
      { acr_values: ACR.PHR, max_age: 600, bound: false },
    ]);
  });
  it("allows within 600 s of the passkey, including the edge", () => {
    assert.equal(decide("account.reveal", steppedUp(0)).outcome, "allowed");
    assert.equal(decide("account.reveal", steppedUp(600)).outcome, "allowed");
  });
  it("asks again at 601 s: freshness runs from the passkey, not the login", () => {
    const d = decide("account.reveal", steppedUp(601));
    assert.equal(d.outcome === "step_up" && d.reason, "passkey_too_old");
  });
  it("refuses a phr_time from the future beyond clock skew", () => {
    assert.equal(decide("account.reveal", steppedUp(-31)).outcome, "step_up");
    assert.equal(decide("account.reveal", steppedUp(-30)).outcome, "allowed");
  });
  it("an unknown acr never satisfies", () => {
    assert.equal(decide("account.reveal", { ...steppedUp(1), acr: "urn:forged" as never }).outcome, "step_up");
  });
});

describe("policy: passkeys and password (5 minutes)", () => {
  for (const action of ["passkey.add", "passkey.remove", "password.change"] as const) {
    it(`${action}: allowed within 300 s of a passkey, not at 301 s`, () => {
      assert.equal(decide(action, steppedUp(300)).outcome, "allowed");
      assert.equal(decide(action, steppedUp(301)).outcome, "step_up");
      assert.equal(decide(action, password).outcome, "step_up");
    });
  }
  it("the first passkey needs the password re-entered within 300 s instead", () => {
    const none = { hasPasskey: false };
    assert.equal(decide("passkey.add", password, none).outcome === "step_up" && "needs_password", "needs_password");
    assert.equal(decide("passkey.add", { ...password, reauth_time: NOW - 300 }, none).outcome, "allowed");
    assert.equal(decide("passkey.add", { ...password, reauth_time: NOW - 301 }, none).outcome, "step_up");
  });
  it("a stolen session can't bootstrap: a recent password doesn't help once a passkey exists", () => {
    assert.equal(decide("passkey.add", { ...password, reauth_time: NOW }).outcome, "step_up");
    assert.equal(decide("passkey.remove", { ...password, reauth_time: NOW }, { hasPasskey: false }).outcome, "step_up");
  });
});

describe("policy: after a recovery-code sign-in", () => {
  const recovered: AssuranceClaims = { ...recoverySignInClaims(new Date((NOW - 60) * 1000)) };
  const hold = { recoveryHoldUntil: NOW + RECOVERY_COOLING_OFF_S - 60 };
  it("may enrol a new passkey for 900 s although the lost one is still registered, and nothing else", () => {
    assert.deepEqual(decide("passkey.add", recovered), { outcome: "allowed", reason: "recent_recovery_code" });
    assert.equal(decide("passkey.add", { ...recovered, recovery_time: NOW - 901 }).outcome, "step_up");
    for (const action of ["passkey.remove", "password.change", "recovery.regenerate", "account.reveal"] as const) {
      assert.equal(decide(action, recovered).outcome, "step_up", action);
    }
  });
  it("holds new payees, payout changes and payments needing step-up until the cooling-off ends, even with a fresh passkey", () => {
    for (const action of ["payee.add", "payout.change"] as const) {
      assert.deepEqual(
        decide(action, steppedUp(1), hold),
        { outcome: "held", reason: "recovery_cooling_off", until: hold.recoveryHoldUntil },
        action,
      );
      assert.equal(
        decide(action, steppedUp(1), { recoveryHoldUntil: NOW }).outcome,
        "step_up",
        `${action}: the hold has ended`,
      );
    }
    const large = { payeeIsNew: false, exemptedLast24hMinor: 0n, amountMinor: 125_000n };
    assert.equal(decide("transfer.payee", steppedUp(1), { ...large, ...hold }).outcome, "held");
  });
  it("makes removing a passkey and changing the password bound for the cooling-off, even within a passkey's grace window; new codes wait", () => {
    for (const action of ["passkey.remove", "password.change"] as const) {
      assert.deepEqual(decide(action, steppedUp(1), hold), {
        outcome: "step_up",
        reason: "recovery_cooling_off",
        requirement: { acr_values: ACR.PHR, max_age: 0, bound: true },
      });
      assert.deepEqual(
        decide(action, steppedUp(1), { recoveryHoldUntil: NOW }),
        { outcome: "allowed", reason: "recent_passkey" },
        `${action}: the hold has ended`,
      );
    }
    assert.equal(decide("recovery.regenerate", steppedUp(1), hold).outcome, "held");
  });
  it("still lets small payments to known payees and moves between own accounts through", () => {
    const small = { payeeIsNew: false, exemptedLast24hMinor: 0n, amountMinor: 5_000n };
    assert.equal(decide("transfer.payee", recovered, { ...small, ...hold }).outcome, "exempted");
    assert.equal(decide("transfer.own", recovered, hold).outcome, "allowed");
  });
});

describe("the policy file", () => {
  it("binds every action whose max age is 0 and requires PHR wherever step-up applies", () => {
    for (const [action, p] of Object.entries(POLICIES)) {
      if (p.acr === null) continue;
      assert.equal(p.acr, ACR.PHR, action);
      if (p.maxAgeS === 0) assert.equal(p.bound, true, action);
    }
  });
});

/**
 * Every parameter of `npm run risk:sim` in one place: the seed, the customers' habits, and the
 * account-takeover scenarios (docs/risk.md). Amounts are minor units (cents); times are hours or days
 * of the simulated month. Change a habit here, not in the replay.
 */
export const SIM = {
  seed: 20261128,
  customers: 60,
  /** Each customer's history before the month: 3 months of the same habits, seeded as rows. */
  historyMonths: 3,
  month: { days: 30 },
  habits: {
    rent: { minMinor: 60_000, maxMinor: 190_000 },
    utilities: { minMinor: 4_000, maxMinor: 15_000, wobble: 0.15 },
    phone: { minMinor: 3_000, maxMinor: 9_000 },
    groceries: { perMonth: [8, 12], minMinor: 1_500, maxMinor: 9_000 },
    /** A large purchase from a shop paid before, now and then. */
    largePurchase: { chance: 0.15, minMinor: 60_000, maxMinor: 180_000 },
    /** A new payee, paid once or twice. */
    newPayee: { chance: 0.3, minMinor: 5_000, maxMinor: 40_000, secondPaymentChance: 0.4 },
    /** A new phone or laptop from a random day on. */
    newDevice: { chance: 0.15 },
    /** Share of actions from the customer's mobile network (seen before) instead of home. */
    mobileShare: 0.2,
    /** Share of actions on the road: a network never seen. */
    travelShare: 0.03,
  },
  /** Takeover scenarios, each on its own victim, at a random hour of the month. */
  attacks: [
    { kind: "stolen_password_new_device", victims: 4 },
    { kind: "stolen_session_new_network", victims: 4 },
    { kind: "password_and_recovery_codes", victims: 4 },
    { kind: "slow_drain", victims: 4, payments: 20, amountMinor: 1_500 },
    { kind: "new_payee_then_payments", victims: 4, payments: 5, amountMinor: 9_000 },
  ],
  targets: { promptReduction: 0.4, takeoversStopped: 1 },
} as const;

export type AttackKind = (typeof SIM.attacks)[number]["kind"];

/**
 * Every number the risk model uses, as data, like the policies (lib/assurance/policy.ts). A bank
 * tunes these from its own fraud and prompt figures: change one here, run `npm run risk:sim`, and
 * compare prompts per 100 legitimate actions against takeovers caught (docs/risk.md).
 *
 * Amounts are minor units (USD cents in the demo), durations seconds.
 */
export const RISK = {
  /**
   * PSD2 RTS Art. 18 (transaction-risk analysis): a payment the real-time monitoring of Art. 2 finds
   * low-risk may skip strong authentication, up to an exemption threshold value. Art. 18's table caps
   * it at €500 for credit transfers, for a fraud rate of 0.005%; Vault's demo limit is its own, set
   * from the simulator. It applies only at low risk, and only to a regular payee: paid at least
   * `minTimesPaid` times before, and added at least `minPayeeAgeS` ago (so "add a payee, then pay it
   * again and again" never earns it).
   */
  tra: { maxAmountMinor: 200_000n, minTimesPaid: 2, minPayeeAgeS: 7 * 24 * 60 * 60 },

  /** "Recent" for a security change (password, passkey, recovery sign-in, payee, payout): 24 h. */
  recentChangeS: 24 * 60 * 60,

  /**
   * Session: a sign-in older than this, still in use, is unusual (the idle timeout is 30 min, so it
   * was kept alive for hours), and a device whose last passkey is older than `staleDeviceS` has not
   * proved itself lately.
   */
  session: { longS: 8 * 60 * 60, staleDeviceS: 90 * 24 * 60 * 60 },

  /** Network: IPv4 addresses in the same /24, and IPv6 in the same /48, are one network. */
  network: { ipv4PrefixBits: 24, ipv6PrefixBits: 48, lookbackS: 90 * 24 * 60 * 60 },

  /** The payment history that amount and velocity are judged against. */
  history: { lookbackS: 90 * 24 * 60 * 60, minPayments: 3 },

  /**
   * Amount: elevated above the customer's 90-day maximum (by `overMaxFactor`) once that is at least
   * `floorMinor`; without enough history (a new customer: everything is unusual, so only large
   * amounts count), from `noHistoryMinor`. High from `highFactor` × the maximum
   * and at least `highFloorMinor`.
   */
  amount: {
    overMaxFactor: 1.2,
    floorMinor: 10_000n,
    noHistoryMinor: 500_000n,
    highFactor: 5,
    highFloorMinor: 250_000n,
  },

  /**
   * Velocity: more payments in the last hour than the customer's busiest hour (at least
   * `hourCountFloor`), or more sent in 24 h than `dayFactor` × their busiest day (at least
   * `dayFloorMinor`; for a customer with too little history to judge, `noHistoryDayMinor`).
   */
  velocity: { hourCountFloor: 3, dayFactor: 2, dayFloorMinor: 100_000n, noHistoryDayMinor: 500_000n },

  /**
   * How many kinds of elevated signal together make high risk (kinds: device, network, session,
   * security changes, payee, amount (this payment's and the day's), velocity (how many); a new payee
   * added today is one kind, not two, and so is one large payment).
   */
  highWhenElevated: 3,
} as const;

export type RiskThresholds = typeof RISK;

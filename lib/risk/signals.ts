import { RISK, type RiskThresholds } from "@/lib/risk/thresholds";

/**
 * Risk signals: small pure functions of facts Vault already holds (lib/risk/facts.ts gathers them).
 * No third-party service, no fingerprinting: a device cookie, the client address the operator's own
 * proxies report, the customer's sessions, security changes and payments.
 *
 * PSD2 RTS Art. 2(2) lists what real-time transaction monitoring takes into account: abnormal
 * amounts, known fraud scenarios, signs of malware, an unusual location, an abnormal device or
 * software. Each function below answers one of those questions for this operation, now.
 */

export type RiskLevel = "low" | "elevated" | "high";

/** What each signal means to the customer, in plain words: the step-up page shows these. */
export const SIGNAL_TEXT = {
  new_device: "You're on a device you haven't confirmed with a passkey before.",
  stale_device: "You haven't used your passkey on this device for a long time.",
  network_changed: "Your network changed since you signed in.",
  new_network: "You're on a network we haven't seen you use.",
  long_session: "You've been signed in for many hours.",
  recent_password_change: "Your password was changed in the last 24 hours.",
  recent_passkey_added: "A passkey was added to your account in the last 24 hours.",
  recent_recovery_sign_in: "A recovery code was used to sign in in the last 24 hours.",
  recent_payee_added: "A payee was added in the last 24 hours.",
  recent_payout_change: "Where your payouts go was changed in the last 24 hours.",
  new_payee: "You haven't paid this payee before.",
  payee_added_recently: "This payee was added in the last 24 hours.",
  unusual_amount: "This is more than you usually send.",
  many_payments: "You've made several payments in the last hour.",
  high_daily_total: "You've sent more today than you usually do.",
} as const;

export type SignalCode = keyof typeof SIGNAL_TEXT;

/** What high risk adds on the step-up page (lib/assurance/guard.ts refuses a newer passkey when it runs). */
export const HIGH_RISK_TEXT =
  "Because several things look unusual together, only a passkey you've had for more than a day can confirm this.";

/** What each signal is about: several signals about one thing (a new payee, added today) count once towards high risk. */
const GROUP: Record<SignalCode, string> = {
  new_device: "device",
  stale_device: "device",
  network_changed: "network",
  new_network: "network",
  long_session: "session",
  recent_password_change: "changes",
  recent_passkey_added: "changes",
  recent_recovery_sign_in: "changes",
  recent_payee_added: "changes",
  recent_payout_change: "changes",
  new_payee: "payee",
  payee_added_recently: "payee",
  unusual_amount: "amount",
  // The day's total is about amounts too: one large payment shouldn't count as two kinds of evidence.
  high_daily_total: "amount",
  many_payments: "velocity",
};
export const isSignalCode = (value: unknown): value is SignalCode =>
  typeof value === "string" && Object.hasOwn(SIGNAL_TEXT, value);

export type Signal = { code: SignalCode; level: Exclude<RiskLevel, "low"> };

/** One earlier payment to a payee, for amount and velocity. */
export type PastPayment = { amountMinor: bigint; at: number };

/** Everything the signals look at. Times are epoch milliseconds; null where a fact can't be known. */
export type RiskFacts = {
  now: number;
  /** The browser's device: known for this customer (proved by a passkey on it), and when last proved. Null for an API client. */
  device: { known: boolean; lastProvedAt: number | null } | null;
  /** Client addresses (README "Client addresses"): null when the deployment can't know them. */
  network: { current: string | null; atSignIn: string | null; seenBefore: string[] };
  /** The sign-in this request belongs to (null for an API client). */
  session: { startedAt: number } | null;
  /** When each kind of security change last happened (null: never, or not distinguishable from the sign-up). */
  changes: {
    passwordChangedAt: number | null;
    passkeyAddedAt: number | null;
    recoverySignInAt: number | null;
    payeeAddedAt: number | null;
    payoutChangedAt: number | null;
  };
  /** A payment: its amount, the payee's history, and the customer's payments over the look-back. */
  payment?: {
    amountMinor: bigint;
    payee: { id: string; addedAt: number; timesPaid: number };
    /** Payments to payees within RISK.history.lookbackS, this one excluded. */
    history: PastPayment[];
  };
};

/** What the payment signals look at: the time and the payment. */
export type PaymentView = Pick<RiskFacts, "now" | "payment">;

const signal = (code: SignalCode, level: Signal["level"] = "elevated"): Signal => ({ code, level });
const within = (at: number | null, now: number, seconds: number) => at !== null && now - at < seconds * 1000;

/** A device is new until a passkey proved it for this customer; proved long ago, it is stale. */
export function deviceSignal(f: RiskFacts, t: RiskThresholds = RISK): Signal | null {
  if (f.device === null) return null;
  if (!f.device.known) return signal("new_device");
  if (f.device.lastProvedAt !== null && !within(f.device.lastProvedAt, f.now, t.session.staleDeviceS))
    return signal("stale_device");
  return null;
}

/**
 * The network an address belongs to: its first 24 bits (IPv4) or 48 bits (IPv6), as text. Null for
 * anything that isn't an address.
 */
export function networkOf(ip: string | null, t: RiskThresholds = RISK): string | null {
  if (!ip) return null;
  const v4 = ip.replace(/^::ffff:/i, "");
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(v4)) {
    const octets = v4.split(".").map(Number);
    if (octets.some((o) => o > 255)) return null;
    return `${octets.slice(0, t.network.ipv4PrefixBits / 8).join(".")}/${t.network.ipv4PrefixBits}`;
  }
  const groups = expandIpv6(ip);
  return groups ? `${groups.slice(0, t.network.ipv6PrefixBits / 16).join(":")}::/${t.network.ipv6PrefixBits}` : null;
}

function expandIpv6(ip: string): string[] | null {
  if (!/^[0-9a-f:]+$/i.test(ip) || ip.split("::").length > 2) return null;
  const [head, tail] = ip.split("::");
  const left = head ? head.split(":") : [];
  const right = tail !== undefined && tail !== "" ? tail.split(":") : [];
  const missing = 8 - left.length - right.length;
  if (tail === undefined ? missing !== 0 : missing < 1) return null;
  const groups = [...left, ...Array<string>(tail === undefined ? 0 : missing).fill("0"), ...right];
  if (groups.some((g) => g.length === 0 || g.length > 4)) return null;
  return groups.map((g) => g.toLowerCase().replace(/^0+(?=.)/, ""));
}

/**
 * The address moved to another network since the sign-in (a stolen session cookie used elsewhere),
 * or the network was never seen in this customer's earlier sign-ins. Unknown addresses say nothing.
 */
export function networkSignals(f: RiskFacts, t: RiskThresholds = RISK): Signal[] {
  const current = networkOf(f.network.current, t);
  if (current === null) return [];
  const atSignIn = networkOf(f.network.atSignIn, t);
  if (atSignIn !== null && atSignIn !== current) return [signal("network_changed")];
  const seen = f.network.seenBefore.map((ip) => networkOf(ip, t));
  return seen.includes(current) ? [] : [signal("new_network")];
}

/** A sign-in kept alive for hours is unusual for a person (the idle timeout is 30 minutes). */
export function sessionSignal(f: RiskFacts, t: RiskThresholds = RISK): Signal | null {
  if (f.session === null) return null;
  return within(f.session.startedAt, f.now, t.session.longS) ? null : signal("long_session");
}

/** Security changes in the last 24 h: what a thief does first (NIST SP 800-63B-4 §4.6 notifications list the same events). */
export function changeSignals(f: RiskFacts, t: RiskThresholds = RISK): Signal[] {
  const recent = (at: number | null) => within(at, f.now, t.recentChangeS);
  const out: Signal[] = [];
  if (recent(f.changes.passwordChangedAt)) out.push(signal("recent_password_change"));
  if (recent(f.changes.passkeyAddedAt)) out.push(signal("recent_passkey_added"));
  if (recent(f.changes.recoverySignInAt)) out.push(signal("recent_recovery_sign_in"));
  if (recent(f.changes.payoutChangedAt)) out.push(signal("recent_payout_change"));
  // A payee added lately: this one is judged by payeeSignals, so only another one counts here.
  const thisPayeeIsRecent = f.payment !== undefined && recent(f.payment.payee.addedAt);
  if (recent(f.changes.payeeAddedAt) && !thisPayeeIsRecent) out.push(signal("recent_payee_added"));
  return out;
}

/** The payee: never paid, or added in the last 24 h (the set-up for a push-payment scam or a takeover). */
export function payeeSignals(f: PaymentView, t: RiskThresholds = RISK): Signal[] {
  if (!f.payment) return [];
  const { payee } = f.payment;
  const out: Signal[] = [];
  if (payee.timesPaid === 0) out.push(signal("new_payee"));
  if (within(payee.addedAt, f.now, t.recentChangeS)) out.push(signal("payee_added_recently"));
  return out;
}

const maxOf = (values: bigint[]) => values.reduce((m, v) => (v > m ? v : m), 0n);
const times = (value: bigint, factor: number) => (value * BigInt(Math.round(factor * 100))) / 100n;

/** The amount against this customer's own 90 days: above their largest payment (or large, with little history). */
export function amountSignal(f: PaymentView, t: RiskThresholds = RISK): Signal | null {
  if (!f.payment) return null;
  const { amountMinor, history } = f.payment;
  if (history.length < t.history.minPayments)
    return amountMinor >= t.amount.noHistoryMinor ? signal("unusual_amount") : null;
  const largest = maxOf(history.map((p) => p.amountMinor));
  if (amountMinor >= t.amount.highFloorMinor && amountMinor > times(largest, t.amount.highFactor))
    return signal("unusual_amount", "high");
  if (amountMinor >= t.amount.floorMinor && amountMinor > times(largest, t.amount.overMaxFactor))
    return signal("unusual_amount");
  return null;
}

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;

/** The largest total of any window of `span` ms ending at a payment (sliding, over the history). */
function busiestWindow(history: PastPayment[], span: number): { count: number; total: bigint } {
  const sorted = [...history].sort((a, b) => a.at - b.at);
  let best = { count: 0, total: 0n };
  let start = 0;
  let total = 0n;
  for (let end = 0; end < sorted.length; end++) {
    total += sorted[end].amountMinor;
    while (sorted[end].at - sorted[start].at >= span) total -= sorted[start++].amountMinor;
    const count = end - start + 1;
    if (count > best.count) best = { count, total: best.total };
    if (total > best.total) best = { count: best.count, total };
  }
  return best;
}

/** Velocity: payments in the last hour, and the amount of the last 24 h, against the customer's busiest hour and day. */
export function velocitySignals(f: PaymentView, t: RiskThresholds = RISK): Signal[] {
  if (!f.payment) return [];
  const { amountMinor, history } = f.payment;
  const before = history.filter((p) => p.at <= f.now - DAY);
  const lastHour = history.filter((p) => p.at > f.now - HOUR).length + 1;
  const lastDay = history.filter((p) => p.at > f.now - DAY).reduce((sum, p) => sum + p.amountMinor, amountMinor);
  const out: Signal[] = [];
  if (lastHour > Math.max(t.velocity.hourCountFloor, busiestWindow(before, HOUR).count))
    out.push(signal("many_payments"));
  const dayCeiling =
    before.length < t.history.minPayments
      ? t.velocity.noHistoryDayMinor
      : maxOf([times(busiestWindow(before, DAY).total, t.velocity.dayFactor), t.velocity.dayFloorMinor]);
  if (lastDay > dayCeiling) out.push(signal("high_daily_total"));
  return out;
}

export type RiskAssessment = {
  level: RiskLevel;
  signals: Signal[];
  /** A browser a passkey proved for this customer: the positive evidence a TRA exemption needs (an API client has none). */
  knownDevice: boolean;
};

/**
 * Every signal, and the level they make: high if any signal is high or signals of `highWhenElevated`
 * kinds are elevated together (a new device on a new network, the day the password changed), elevated
 * if any is, low otherwise.
 */
export function assessRisk(f: RiskFacts, t: RiskThresholds = RISK): RiskAssessment {
  const signals = [
    deviceSignal(f, t),
    ...networkSignals(f, t),
    sessionSignal(f, t),
    ...changeSignals(f, t),
    ...payeeSignals(f, t),
    amountSignal(f, t),
    ...velocitySignals(f, t),
  ].filter((s): s is Signal => s !== null);
  return { level: levelOf(signals, t), signals, knownDevice: f.device?.known === true };
}

/** The level signals make together (also for the signals an intent stored). */
export function levelOf(signals: Signal[], t: RiskThresholds = RISK): RiskLevel {
  const kinds = new Set(signals.map((s) => GROUP[s.code])).size;
  if (signals.some((s) => s.level === "high") || kinds >= t.highWhenElevated) return "high";
  return signals.length > 0 ? "elevated" : "low";
}

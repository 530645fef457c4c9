import { acrSatisfies, type Acr, type AssuranceClaims } from "@/lib/auth/claims";
import type { Policy } from "@/lib/assurance/policy";
import type { RiskAssessment, RiskFacts } from "@/lib/risk/signals";

/** Facts about the operation that exemptions depend on (filled by the guard from the database). */
export type GuardFacts = {
  amountMinor?: bigint;
  /** The payee has never been paid (a "new" payee). */
  payeeIsNew?: boolean;
  /** Low-value exempted payments in the last 24 h, minor units. */
  exemptedLast24hMinor?: bigint;
  /** The user has at least one passkey (else only the bootstrapping rule can apply). */
  hasPasskey: boolean;
  /** Epoch seconds until which a recovery-code sign-in holds risky actions (the cooling-off period). */
  recoveryHoldUntil?: number;
  /**
   * A concurrent operation used up the exemption this one would have had: the low-value budget, or
   * the pace a TRA exemption allowed (lib/assurance/pipeline.ts). Then no exemption applies.
   */
  exemptionSpent?: boolean;
  /** Epoch seconds since when the account is frozen ("This wasn't me", lib/auth/freeze.ts). */
  frozenSince?: number;
  /** A payment's own history, for the risk signals (lib/risk/facts.ts paymentFacts). */
  payment?: RiskFacts["payment"];
  /** The risk the guard assessed, for a policy that decides on it (Policy.risk). */
  risk?: RiskAssessment;
};

/** What a step-up must achieve, OIDC style (RFC 9470 §3: acr_values and max_age). */
export type Requirement = { acr_values: Acr; max_age: number; bound: boolean };

export type Decision =
  | {
      outcome: "allowed";
      reason: "no_step_up_needed" | "recent_passkey" | "recent_password_for_first_passkey" | "recent_recovery_code";
    }
  | { outcome: "exempted"; reason: "low_value" | "low_risk" }
  | { outcome: "held"; reason: "recovery_cooling_off"; until: number }
  | { outcome: "frozen"; reason: "account_frozen" }
  | {
      outcome: "step_up";
      reason:
        | "bound_action"
        | "acr_too_low"
        | "passkey_too_old"
        | "needs_password"
        | "needs_passkey_enrolment"
        | "recovery_cooling_off"
        | "elevated_risk"
        | "high_risk"
        | "account_frozen";
      requirement: Requirement;
    };

/** A policy's requirement in RFC 9470 §3 / OIDC terms. A bound action always needs an authentication for itself: max_age 0. */
export const requirementOf = (policy: Policy & { acr: Acr }): Requirement => ({
  acr_values: policy.acr,
  max_age: policy.bound ? 0 : policy.maxAgeS,
  bound: policy.bound,
});

/** Allowed clock skew for times in the future (a token minted by another instance). */
const SKEW_S = 30;

const fresh = (at: number | undefined, maxAgeS: number, nowS: number) =>
  typeof at === "number" && at <= nowS + SKEW_S && nowS - at <= maxAgeS;

/** The policy table, evaluated. Pure: the same inputs always give the same decision. */
export function evaluatePolicy(policy: Policy, claims: AssuranceClaims, facts: GuardFacts, nowS: number): Decision {
  if (policy.acr === null) return { outcome: "allowed", reason: "no_step_up_needed" };
  const requirement = requirementOf({ ...policy, acr: policy.acr });
  // A frozen account: what the freeze refuses is refused before anything else, exemptions included.
  const frozen = facts.frozenSince !== undefined;
  if (frozen && policy.whenFrozen === "refused") return { outcome: "frozen", reason: "account_frozen" };

  // Only low risk keeps the exemptions; elevated or high risk removes every one (lib/risk).
  const lowRisk = (facts.risk?.level ?? "low") === "low";
  const exemption = policy.exemption;
  if (
    exemption &&
    lowRisk &&
    !facts.exemptionSpent &&
    facts.amountMinor !== undefined &&
    facts.amountMinor < exemption.maxAmountMinor &&
    facts.payeeIsNew === false &&
    (facts.exemptedLast24hMinor ?? 0n) + facts.amountMinor <= exemption.dailyBudgetMinor
  ) {
    return { outcome: "exempted", reason: "low_value" };
  }
  // PSD2 RTS Art. 18: a payment the real-time risk analysis found low-risk, up to the policy's limit,
  // to a regular payee. It needs an assessment that was made and came out low, not just none, and a
  // known device to have made it on: absent evidence (an API client has no device) earns nothing.
  const tra = policy.risk?.tra;
  if (
    tra &&
    !facts.exemptionSpent &&
    facts.risk?.level === "low" &&
    facts.risk.knownDevice &&
    facts.payment &&
    facts.payment.amountMinor <= tra.maxAmountMinor &&
    facts.payment.payee.timesPaid >= tra.minTimesPaid &&
    nowS * 1000 - facts.payment.payee.addedAt >= tra.minPayeeAgeS * 1000
  ) {
    return { outcome: "exempted", reason: "low_risk" };
  }

  if (policy.heldAfterRecovery && facts.recoveryHoldUntil !== undefined && facts.recoveryHoldUntil > nowS) {
    return { outcome: "held", reason: "recovery_cooling_off", until: facts.recoveryHoldUntil };
  }

  // A lost passkey: a fresh recovery-code sign-in may enrol a new one (and nothing else).
  if (facts.hasPasskey && policy.bootstrap && fresh(claims.recovery_time, policy.bootstrap.recoveryCodeWithinS, nowS)) {
    return { outcome: "allowed", reason: "recent_recovery_code" };
  }

  if (!facts.hasPasskey) {
    // Bootstrapping: without any passkey only the first enrolment can proceed, on a fresh password.
    if (policy.bootstrap) {
      return fresh(claims.reauth_time, policy.bootstrap.passwordWithinS, nowS)
        ? { outcome: "allowed", reason: "recent_password_for_first_passkey" }
        : { outcome: "step_up", reason: "needs_password", requirement };
    }
    return { outcome: "step_up", reason: "needs_passkey_enrolment", requirement };
  }

  if (frozen && policy.whenFrozen === "bound") {
    return { outcome: "step_up", reason: "account_frozen", requirement: { ...requirement, max_age: 0, bound: true } };
  }
  if (policy.bound) {
    const level = facts.risk?.level ?? "low";
    const reason = level === "high" ? "high_risk" : level === "elevated" ? "elevated_risk" : "bound_action";
    return { outcome: "step_up", reason, requirement };
  }
  if (policy.boundAfterRecovery && facts.recoveryHoldUntil !== undefined && facts.recoveryHoldUntil > nowS) {
    return {
      outcome: "step_up",
      reason: "recovery_cooling_off",
      requirement: { ...requirement, max_age: 0, bound: true },
    };
  }
  if (!acrSatisfies(claims.acr, policy.acr)) return { outcome: "step_up", reason: "acr_too_low", requirement };
  if (!fresh(claims.phr_time, policy.maxAgeS, nowS))
    return { outcome: "step_up", reason: "passkey_too_old", requirement };
  return { outcome: "allowed", reason: "recent_passkey" };
}

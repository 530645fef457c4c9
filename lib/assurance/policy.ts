import { ACR, type Acr } from "@/lib/auth/claims";
import { RISK } from "@/lib/risk/thresholds";

/**
 * Step-up policies, as data: one entry per sensitive action. Each is run by one operation
 * (lib/operations.ts), whose definition sits next to its verb (README, "Protecting a new action").
 *
 * - acr: the assurance class the session must have (null: no step-up).
 * - maxAgeS: how old the qualifying passkey authentication may be (OIDC Core §3.1.2.1 max_age),
 *   measured from phr_time, never from the login. 0 means "this very operation".
 * - bound: the passkey assertion must be bound to the exact operation (PSD2 RTS Art. 5(1) dynamic
 *   linking): a fresh challenge derived from the intent, used once. Implies maxAgeS 0.
 * - exemption: PSD2 RTS Art. 16 (low-value payments): below maxAmountMinor, within a rolling 24 h
 *   budget, and never to a payee that was never paid before.
 * - bootstrap: how a passkey is enrolled without a passkey: the first one after password re-entry
 *   within passwordWithinS; after a lost passkey, within recoveryCodeWithinS of a recovery-code sign-in.
 * - heldAfterRecovery: refused during the cooling-off period after a recovery-code sign-in (below),
 *   unless an exemption applies: whoever used the code may not be the customer.
 * - boundAfterRecovery: during the cooling-off, bound (a passkey for this very operation), and only a
 *   passkey enrolled before the cooling-off began may confirm it. So the customer, with an old passkey,
 *   can still remove a thief's passkey or change the password, and a thief's new passkey can't.
 * - risk: the policy decides on the risk signals too (lib/risk, docs/risk.md). Only at low risk may an
 *   exemption apply, and then also `tra` (PSD2 RTS Art. 18 transaction-risk analysis: up to
 *   maxAmountMinor, to a payee paid at least minTimesPaid times and added minPayeeAgeS ago or more). Elevated risk removes every exemption.
 *   High risk asks for a bound passkey that was enrolled before the recent-change window
 *   (RISK.recentChangeS): a passkey a thief could have added lately can't confirm it.
 * - whenFrozen: while the account is frozen ("This wasn't me", lib/auth/freeze.ts), "refused" outright
 *   (before any exemption), or "bound": a passkey for this very operation, enrolled before the freeze,
 *   so the customer can take the account back (a new password, a thief's passkey removed) and a
 *   thief's new passkey can't. A policy without it (reading, moving money between own accounts,
 *   lowering a limit) works as usual.
 */
export type Policy = {
  label: string;
  acr: Acr | null;
  maxAgeS: number;
  bound: boolean;
  exemption?: { maxAmountMinor: bigint; dailyBudgetMinor: bigint };
  bootstrap?: { passwordWithinS: number; recoveryCodeWithinS: number };
  heldAfterRecovery?: boolean;
  boundAfterRecovery?: boolean;
  whenFrozen?: "refused" | "bound";
  risk?: { tra?: { maxAmountMinor: bigint; minTimesPaid: number; minPayeeAgeS: number } };
};

/**
 * After a recovery-code sign-in, actions that send money or change where it goes are held for 24 h
 * (Cloudflare's own 2FA recovery waits 3-5 days: cloudflare/cloudflare-docs PR #12155). A stolen
 * password and code sheet would otherwise be enough to empty the account before the customer
 * notices the audit trail.
 */
export const RECOVERY_COOLING_OFF_S = 24 * 60 * 60;

/** PSD2 RTS Art. 16 sets €30 / €100 cumulative; Vault's demo numbers, in USD minor units. */
export const LOW_VALUE_MAX_MINOR = 10_000n; // below $100.00
export const LOW_VALUE_DAILY_BUDGET_MINOR = 25_000n; // $250.00 per rolling 24 h

export const POLICIES = {
  "transfer.own": { label: "Move money between your own accounts", acr: null, maxAgeS: 0, bound: false },
  "transfer.payee": {
    label: "Send money to a payee",
    acr: ACR.PHR,
    maxAgeS: 0,
    bound: true,
    exemption: { maxAmountMinor: LOW_VALUE_MAX_MINOR, dailyBudgetMinor: LOW_VALUE_DAILY_BUDGET_MINOR },
    heldAfterRecovery: true,
    whenFrozen: "refused",
    risk: { tra: RISK.tra },
  },
  // OWASP ASVS 5 V7.5.3: an extra factor before highly sensitive transactions, every time.
  "payee.add": {
    label: "Add a payee",
    acr: ACR.PHR,
    maxAgeS: 0,
    bound: true,
    heldAfterRecovery: true,
    whenFrozen: "refused",
  },
  "payout.change": {
    label: "Change where payouts go",
    acr: ACR.PHR,
    maxAgeS: 0,
    bound: true,
    heldAfterRecovery: true,
    whenFrozen: "refused",
  },
  // A grace window: one step-up reveals for 10 minutes (not bound to one account).
  "account.reveal": { label: "Reveal a full account number", acr: ACR.PHR, maxAgeS: 600, bound: false },
  // OWASP ASVS 5 V7.5.1: re-authenticate before changing authentication factors.
  "passkey.add": {
    label: "Add a passkey",
    acr: ACR.PHR,
    maxAgeS: 300,
    bound: false,
    bootstrap: { passwordWithinS: 300, recoveryCodeWithinS: 900 },
    whenFrozen: "refused",
  },
  "passkey.remove": {
    label: "Remove a passkey",
    acr: ACR.PHR,
    maxAgeS: 300,
    bound: false,
    boundAfterRecovery: true,
    whenFrozen: "bound",
  },
  "password.change": {
    label: "Change your password",
    acr: ACR.PHR,
    maxAgeS: 300,
    bound: false,
    boundAfterRecovery: true,
    whenFrozen: "bound",
  },
  // OWASP ASVS 5 V7.5.1 again: recovery codes are authentication data.
  "recovery.regenerate": {
    label: "Make new recovery codes",
    acr: ACR.PHR,
    maxAgeS: 300,
    bound: false,
    heldAfterRecovery: true,
    whenFrozen: "refused",
  },
  // ASVS 5 V7.5.1 once more: an API token is a credential. A grace window, like the codes: the page
  // finishes the creation after the passkey, and shows the secret once.
  "api_client.create": {
    label: "Create an API token",
    acr: ACR.PHR,
    maxAgeS: 300,
    bound: false,
    heldAfterRecovery: true,
    whenFrozen: "refused",
  },
  // PSD2 RTS Art. 5(1): raising what may leave the account is bound to the new amount; lowering only protects.
  "limit.raise": {
    label: "Raise your daily payment limit",
    acr: ACR.PHR,
    maxAgeS: 0,
    bound: true,
    heldAfterRecovery: true,
    whenFrozen: "refused",
  },
  "limit.lower": { label: "Lower your daily payment limit", acr: null, maxAgeS: 0, bound: false },
  // Taking a frozen account back (docs/notifications.md): the password (checked by the operation)
  // and a passkey for this very operation, enrolled before the freeze; then a cooling-off.
  "account.unfreeze": { label: "Unfreeze your account", acr: ACR.PHR, maxAgeS: 0, bound: true, whenFrozen: "bound" },
} as const satisfies Record<string, Policy>;

export type PolicyAction = keyof typeof POLICIES;
export const isPolicyAction = (value: unknown): value is PolicyAction =>
  typeof value === "string" && Object.hasOwn(POLICIES, value);

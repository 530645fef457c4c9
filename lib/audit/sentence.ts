import { POLICIES } from "@/lib/assurance/policy";
import { BRAND } from "@/lib/brand";
import { formatMoney, isCurrency } from "@/lib/money";
import { verificationFailureReason } from "@/lib/webauthn/ceremony-errors";

/**
 * One audit event as a sentence a customer can read ("You added ACME Ltd (IBAN ••• 5432)"). The codes
 * (policy, reason, outcome) stay in the structured log and behind the row's "Details"; this only
 * reads them. Pure, so it is unit-tested; `subject` is the name the log joined to the event's ids
 * (a payee, an account, a transfer's recipient), when it still exists.
 */
export type SentenceInput = {
  action: string;
  outcome: string;
  reason: string | null;
  metadata: Record<string, unknown>;
  subject?: string | null;
};

const str = (v: unknown) => (typeof v === "string" && v.length > 0 ? v : null);
const quoted = (v: unknown) => (str(v) ? `“${str(v)}”` : null);

function policyPhrase(policy: unknown): string {
  const label =
    typeof policy === "string" && Object.hasOwn(POLICIES, policy)
      ? POLICIES[policy as keyof typeof POLICIES].label
      : null;
  return label ? label.charAt(0).toLowerCase() + label.slice(1) : "do that";
}

function amountOf(m: Record<string, unknown>): string | null {
  const amount = str(m.amount);
  const currency = m.currency;
  if (!amount || !/^-?\d+$/.test(amount) || !isCurrency(currency)) return null;
  return formatMoney(BigInt(amount), currency);
}

function methodPhrase(m: Record<string, unknown>): string {
  switch (m.method) {
    case "passkey":
      return quoted(m.passkey) ? `your passkey ${quoted(m.passkey)}` : "a passkey";
    case "sso":
      return "single sign-on";
    case "recovery":
      return "a recovery code";
    default:
      return "your password";
  }
}

/** Why something was refused, in words; codes this doesn't know get a neutral phrase. */
const REASONS: Record<string, string> = {
  wrong_password: "the password was wrong",
  invalid_credentials: "the email or password was wrong",
  account_paused: "sign-in was paused after too many attempts",
  ip_paused: "too many attempts came from that address",
  insufficient_funds: "there wasn't enough money in the account",
  limit_exceeded: "it was over the limit",
  recovery_cooling_off: "it's on hold after a recovery-code sign-in",
  passkey_enrolled_during_cooling_off: "that passkey was added during the cooling-off",
  intent_expired: "it wasn't confirmed in time",
  too_many_failures: "of too many failed attempts",
  foreign_origin: "it came from another website",
  missing_origin: "it didn't say where it came from",
  not_found: "it named something that doesn't exist",
  rotated: "the session had been replaced by a newer one",
  signed_out: "you had signed out",
  revoked: "you had ended that session",
  idle_timeout: "it had been idle too long",
  expired: "it had expired",
  account_frozen: "the account is frozen",
  passkey_enrolled_after_freeze: "that passkey was added after the freeze",
  payment_amount: "the amount your browser showed wasn't this payment's",
  payment_currency: "the currency your browser showed wasn't this payment's",
  payment_payee: "the payee your browser showed wasn't this payment's",
  payment_instrument: "the account your browser showed wasn't this payment's",
  payment_rp_id: "your browser's payment dialog wasn't for this bank",
  payment_top_origin: "your browser's payment dialog was opened by another website",
  payment_missing: "your browser's payment dialog didn't say what it showed",
  ceremony_mismatch: "it answered a different kind of confirmation than the one asked for",
};
function because(reason: string | null): string {
  const words = reason ? (Object.hasOwn(REASONS, reason) ? REASONS[reason] : verificationFailureReason(reason)) : null;
  return words ? `, because ${words}` : "";
}

/** The sentence, without the trailing device ("from Chrome on Linux"), which the caller adds. */
export function auditSentence(e: SentenceInput): string | null {
  const m = e.metadata;
  const ok = e.outcome === "SUCCESS";
  switch (e.action) {
    case "auth.sign_up":
      return m.method === "sso" ? "You opened your account with single sign-on" : "You opened your account";
    case "auth.sign_in":
      if (ok) return `You signed in with ${methodPhrase(m)}`;
      return `A sign-in with ${methodPhrase(m)} was refused${because(e.reason)}`;
    case "auth.sign_out":
      return e.reason === "replaced_by_sign_in"
        ? "This session ended because of a new sign-in in the same browser"
        : "You signed out";
    case "auth.sign_in_locked":
      return "Sign-in was paused for 15 minutes after too many failed attempts";
    case "auth.reauth":
      return ok ? "You confirmed your password" : "A wrong password was entered to confirm it was you";
    case "auth.reauth_locked":
      return "Password confirmation was paused for 15 minutes after too many wrong passwords";
    case "auth.password_change":
      return "You changed your password; your other sessions were signed out";
    case "auth.session_revoke":
      if (typeof m.others === "number")
        return m.others === 1 ? "You signed out 1 other session" : `You signed out ${m.others} other sessions`;
      return m.current === true ? "You signed out here" : "You signed out another session";
    case "auth.session_refused":
      return `A session that had ended was used again and refused${because(str(m.revokedReason) ?? e.reason)}`;
    case "transfer.create": {
      const amount = amountOf(m) ?? "money";
      const to = e.subject ? ` to ${e.subject}` : "";
      if (ok) return m.to === "account" ? `You moved ${amount}${to}` : `You sent ${amount}${to}`;
      return `A payment of ${amount}${to} was refused${because(e.reason)}`;
    }
    case "payee.add":
      return `You added ${e.subject ?? "a payee"}${str(m.destination) ? ` (${str(m.destination)})` : ""}`;
    case "payee.remove":
      return `You removed ${e.subject ?? "a payee"}`;
    case "payout.change":
      return `You changed where payouts go${str(m.to) ? ` to ${str(m.to)}` : ""}`;
    case "account.reveal":
      return ok
        ? `You revealed the full number of ${e.subject ?? "an account"}`
        : `A request to reveal an account number was refused${because(e.reason)}`;
    case "recovery.codes_issued":
      return `You got ${typeof m.count === "number" ? m.count : "new"} recovery codes${m.why === "passkey_enrolled" ? " with your first passkey" : ""}`;
    case "recovery.code_used":
      return `You signed in with a recovery code${typeof m.codesLeft === "number" ? ` (${m.codesLeft} left)` : ""}`;
    case "recovery.hold_started":
      return "A 24-hour cooling-off began after a recovery-code sign-in";
    case "account.frozen":
      return "Your account was frozen from a security message's link: every sign-in and API token was ended";
    case "account.freeze_link_refused":
      return "A freeze link was refused: it had been used or had expired";
    case "account.unfreeze_confirmed":
      return typeof m.at === "string"
        ? `You confirmed an unfreeze; it takes effect ${m.at.slice(0, 16).replace("T", " ")} UTC`
        : "You confirmed an unfreeze";
    case "notice.preferences":
      return "You changed which security emails you get";
    case "security.cross_origin_action":
      return "A request from another website was refused";
    case "passkey.add":
      if (!ok) return `Adding a passkey didn't work${because(e.reason)}`;
      return `You added the passkey ${quoted(m.nickname) ?? ""}`.trimEnd();
    case "device.rename":
      return `You renamed a device to ${quoted(m.name) ?? "a new name"}`;
    case "device.forget":
      return `You forgot the device ${quoted(m.name) ?? ""}: its next sensitive action asks for your passkey`.replace(
        " :",
        ":",
      );
    case "passkey.rename":
      return `You renamed a passkey to ${quoted(m.nickname) ?? "a new name"}`;
    case "passkey.remove":
      return `You removed the passkey ${quoted(m.nickname) ?? ""}`.trimEnd();
    case "assurance.decision":
      switch (e.outcome) {
        case "SUCCESS":
          return `You were allowed to ${policyPhrase(m.policy)}`;
        case "EXEMPTED":
          return e.reason === "low_risk"
            ? "A payment to a regular payee went ahead without a passkey: nothing about it looked unusual"
            : "A small payment went ahead without a passkey";
        case "STEP_UP_REQUIRED":
          return `${BRAND.name} asked for your passkey to ${policyPhrase(m.policy)}`;
        default:
          return `A request to ${policyPhrase(m.policy)} was refused${because(e.reason)}`;
      }
    case "step_up.verify":
      if (ok)
        return m.method === "sso"
          ? `You confirmed at single sign-on to ${policyPhrase(m.policy)}`
          : m.ceremony === "spc"
            ? `Confirmed in your browser's payment dialog, with ${quoted(m.passkey) ? `your passkey ${quoted(m.passkey)}` : "your passkey"}, to ${policyPhrase(m.policy)}`
            : `You confirmed with ${quoted(m.passkey) ? `your passkey ${quoted(m.passkey)}` : "your passkey"} to ${policyPhrase(m.policy)}`;
      return `A confirmation ${m.policy ? `to ${policyPhrase(m.policy)} ` : ""}was refused${because(e.reason)}`;
    case "step_up.cancel":
      return e.reason === "recovery_sign_in"
        ? "Confirmations waiting were cancelled by a recovery-code sign-in"
        : `You cancelled a request to ${policyPhrase(m.policy)}`;
    case "step_up.expired":
      return `A request to ${policyPhrase(m.policy)} expired before it was confirmed`;
    case "step_up.locked":
      return "Confirmations were paused for 15 minutes after too many failed attempts";
    case "api_client.create":
      return `You created the API token ${quoted(m.name) ?? ""}`.trimEnd();
    case "api_client.revoke":
      return "You revoked an API token";
    case "api_client.authorize":
      return `You confirmed an app's request to ${policyPhrase(m.policy)}`;
    case "api_client.step_up_token":
      return "An app got a single-use token for the request you confirmed";
    default:
      return null;
  }
}

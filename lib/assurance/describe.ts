import type { PolicyAction } from "@/lib/assurance/policy";
import { formatMoney, isCurrency, parseAmount } from "@/lib/money";

/**
 * What the step-up page shows: built only from the intent's stored payload, which is exactly what
 * the passkey signs (PSD2 RTS Art. 5(1)(a): the payer sees the amount and the payee).
 */
export type IntentDescription = {
  /** One line, e.g. "Send $1,250.00 to ACME Ltd". */
  title: string;
  details: [label: string, value: string][];
  /** What happens after a successful confirmation. */
  after: string;
  /** Where Cancel goes back to. */
  backTo: string;
};

type Party = { id?: string; name?: string; masked?: string; kind?: string };
const party = (p: unknown): Party => (p && typeof p === "object" ? (p as Party) : {});
const text = (v: unknown) => (typeof v === "string" ? v : "");

export function describeIntent(action: PolicyAction, payload: Record<string, unknown>): IntentDescription {
  switch (action) {
    case "transfer.payee":
    case "transfer.own": {
      const currency = isCurrency(payload.currency) ? payload.currency : "USD";
      const parsed = parseAmount(text(payload.amount), currency);
      const amount = parsed.ok ? formatMoney(parsed.amount, currency) : text(payload.amount);
      const from = party(payload.from);
      const to = party(payload.to);
      return {
        title: `Send ${amount} to ${to.name}`,
        details: [
          ["Amount", amount],
          ["From", `${from.name} (${from.masked})`],
          ["To", `${to.name} (${to.masked})`],
          ...(payload.memo ? ([["Memo", text(payload.memo)]] as [string, string][]) : []),
        ],
        after: "The money is sent as soon as you confirm, and you'll see the receipt.",
        backTo: "/transfers/new",
      };
    }
    case "payee.add": {
      const payee = party(payload.payee);
      return {
        title: `Add ${payee.name} as a payee`,
        details: [
          ["Name", text(payee.name)],
          ["Account", text(payload.masked)],
        ],
        after: "The payee is saved as soon as you confirm. Your first payment to them will also ask for your passkey.",
        backTo: "/payees",
      };
    }
    case "payout.change": {
      const payout = party(payload.payout);
      return {
        title: `Send your payouts to ${text(payload.masked)}`,
        details: [
          ["Account holder", text(payout.name)],
          ["Account", text(payload.masked)],
        ],
        after: "Future withdrawals and payouts go to this account as soon as you confirm.",
        backTo: "/settings/payout",
      };
    }
    case "account.reveal":
      return {
        title: `Show the full number of ${text(payload.accountName)}`,
        details: [["Account", `${text(payload.accountName)} (•••• ${text(payload.last4)})`]],
        after: "The number is shown right away, and for the next 10 minutes you can reveal numbers without confirming again.",
        backTo: `/accounts/${text(payload.accountId)}`,
      };
    case "passkey.add":
      return {
        title: "Add a new passkey",
        details: [],
        after: "You'll go back to your security settings to create the new passkey within 5 minutes.",
        backTo: "/settings/security",
      };
    case "passkey.remove":
      return {
        title: `Remove the passkey "${text(payload.nickname)}"`,
        details: [["Passkey", text(payload.nickname)]],
        after: "The passkey is removed as soon as you confirm. It will no longer work for Vault.",
        backTo: "/settings/security",
      };
    case "password.change":
      return {
        title: "Change your password",
        details: [],
        after: "Your new password takes effect as soon as you confirm; you won't need to type it again.",
        backTo: "/settings/security",
      };
    case "recovery.regenerate":
      return {
        title: "Make new recovery codes",
        details: [],
        after: "You'll go back to your security settings to see the new codes within 5 minutes. Your old codes stop working then.",
        backTo: "/settings/security#recovery",
      };
    case "api_client.create":
      return {
        title: `Create the API token "${text(payload.name)}"`,
        details: [
          ["Name", text(payload.name)],
          ["Permissions", text(payload.scopes).split(" ").join(", ")],
          ["Lasts", `${Number(payload.days)} days`],
        ],
        after: "You'll go back to your security settings, where the token is shown once. Copy it then.",
        backTo: "/settings/security#api",
      };
  }
}

import "server-only";
import { notify } from "@/lib/notify/messages";
import { recordAudit } from "@/lib/audit/log";
import { requireUser } from "@/lib/auth/current-user";
import { bankDetailsInput, bankDetailsSchema, maskBankDetails } from "@/lib/banking/bank-details";
import { defineOperation } from "@/lib/assurance/operation";
import { db } from "@/lib/db";

export type PayoutSummary = { holderName: string; masked: string; updatedAt: Date } | null;

/** Where the signed-in user's withdrawals and payouts go, masked. */
export async function getMyPayoutDestination(): Promise<PayoutSummary> {
  const user = await requireUser();
  const row = await db.payoutDestination.findUnique({ where: { userId: user.id } });
  return row ? { holderName: row.holderName, masked: maskBankDetails(row), updatedAt: row.updatedAt } : null;
}

/**
 * Changes the payout destination under a bound step-up every time (policy "payout.change"). Same
 * validation as payees. The audit keeps the masked old and new destinations, never full numbers.
 */
export const payoutChange = defineOperation({
  policies: ["payout.change"],
  input: bankDetailsSchema,
  prepare: async (_actor, details) => ({
    action: "payout.change",
    payload: { payout: details, masked: maskBankDetails(details) },
    carry: null,
  }),
  inputOf: (p) => bankDetailsInput(p.payout),
  describe: (p) => ({
    title: `Send your payouts to ${p.masked}`,
    details: [
      ["Account holder", p.payout.name],
      ["Account", p.masked],
    ],
    after: "Future withdrawals and payouts go to this account as soon as you confirm.",
    backTo: "/settings/payout",
  }),
  async run(tx, actor, { payload }) {
    const { name, ...details } = payload.payout;
    const before = await tx.payoutDestination.findUnique({ where: { userId: actor.id } });
    const after = await tx.payoutDestination.upsert({
      where: { userId: actor.id },
      create: { userId: actor.id, holderName: name, ...details },
      update: { holderName: name, ...details },
    });
    await recordAudit(
      {
        userId: actor.id,
        action: "payout.change",
        outcome: "SUCCESS",
        metadata: { from: before ? maskBankDetails(before) : null, to: maskBankDetails(after) },
      },
      tx,
    );
    await notify(tx, actor.id, "payout.changed", { account: maskBankDetails(after) });
    return { masked: maskBankDetails(after) };
  },
  record: () => ({ payout: "changed" }),
  resume: { kind: "run", to: () => "/settings/payout?saved=1", label: "View your payout account" },
  success: "Payout account updated.",
  audit: { action: "payout.change", label: "Payout destination changed" },
  example: () => ({ name: "Ada Lovelace", scheme: "domestic", routingCode: "021000021", accountNumber: "12345678" }),
});

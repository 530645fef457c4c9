import "server-only";
import { notify } from "@/lib/notify/messages";
import { recordAudit } from "@/lib/audit/log";
import { requireUser } from "@/lib/auth/current-user";
import {
  bankDetailsInput,
  bankDetailsSchema,
  formatBankDetails,
  maskBankDetails,
  type BankDetails,
} from "@/lib/banking/bank-details";
import { defineOperation, type Actor } from "@/lib/assurance/operation";
import { db } from "@/lib/db";
import { notFound } from "@/lib/errors";
import type { Currency } from "@/lib/money";

export type PayeeSummary = { id: string; name: string; masked: string; currency: Currency; isNew: boolean };

/** The signed-in user's saved payees (not removed ones). */
export async function listMyPayees(): Promise<PayeeSummary[]> {
  const user = await requireUser();
  const rows = await db.payee.findMany({ where: { userId: user.id, removedAt: null }, orderBy: { name: "asc" } });
  return rows.map((p) => ({
    id: p.id,
    name: p.name,
    masked: maskBankDetails(p),
    currency: p.currency as Currency,
    isNew: p.firstPaidAt === null,
  }));
}

/** The name of the customer's saved payee with exactly these bank details, if any. */
async function samePayeeAccount(userId: string, d: BankDetails): Promise<string | null> {
  const same = await db.payee.findFirst({
    where: d.iban
      ? { userId, removedAt: null, iban: d.iban }
      : { userId, removedAt: null, routingCode: d.routingCode, accountNumber: d.accountNumber },
    select: { name: true },
  });
  return same?.name ?? null;
}

/**
 * Adds a payee under a bound step-up every time (policy "payee.add"). A new payee stays "new" until
 * its first successful transfer, and policies treat new payees as risky.
 */
export const payeeAdd = defineOperation({
  policies: ["payee.add"],
  input: bankDetailsSchema,
  prepare: async (_actor, details) => ({
    action: "payee.add",
    payload: { payee: details, masked: maskBankDetails(details) },
    carry: null,
  }),
  inputOf: (p) => bankDetailsInput(p.payee),
  describe: (p) => ({
    title: `Add ${p.payee.name} as a payee`,
    // In full: the customer checks what they typed before it is saved (it is masked everywhere after).
    details: [
      ["Name", p.payee.name],
      [p.payee.iban ? "IBAN" : "Account", formatBankDetails(p.payee)],
    ],

    after: "The payee is saved as soon as you confirm. Your first payment to them will also ask for your passkey.",
    backTo: "/payees",
  }),
  // Worked out when the confirmation is shown, not stored in what is confirmed: a second payee for
  // the same account is often a typo, or a fraudster's "our bank details have changed".
  warning: async (actor, p) => {
    const same = await samePayeeAccount(actor.id, p.payee);
    return same ? `You already have a payee with this account: ${same}. Check it's not a duplicate.` : null;
  },
  async run(tx, actor, { payload }) {
    const payee = await tx.payee.create({ data: { userId: actor.id, currency: "USD", ...payload.payee } });
    await recordAudit(
      {
        userId: actor.id,
        action: "payee.add",
        outcome: "SUCCESS",
        metadata: { payeeId: payee.id, destination: maskBankDetails(payee) },
      },
      tx,
    );
    await notify(tx, actor.id, "payee.added", { name: payee.name, account: maskBankDetails(payee) });
    return { id: payee.id, name: payee.name };
  },
  record: (r) => ({ payeeId: r.id }),
  resume: { kind: "run", to: () => "/payees?added=1", label: "View your payees" },
  success: "Payee added.",
  audit: { action: "payee.add", label: "Payee added" },
  example: () => ({ name: "ACME Ltd", scheme: "iban", iban: "GB82 WEST 1234 5698 7654 32" }),
});

/** Soft delete: past transfers keep their beneficiary. Someone else's payee is "not found". Needs no step-up. */
export async function removePayeeFor(actor: Actor, payeeId: unknown): Promise<void> {
  if (typeof payeeId !== "string" || payeeId.length === 0 || payeeId.length > 64) throw notFound("That payee");
  await db.$transaction(async (tx) => {
    const changed = await tx.payee.updateMany({
      where: { id: payeeId, userId: actor.id, removedAt: null },
      data: { removedAt: new Date() },
    });
    if (changed.count !== 1) throw notFound("That payee");
    await recordAudit({ userId: actor.id, action: "payee.remove", outcome: "SUCCESS", metadata: { payeeId } }, tx);
  });
}

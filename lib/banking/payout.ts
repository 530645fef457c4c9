import "server-only";
import { recordAudit } from "@/lib/audit/log";
import { requireUser } from "@/lib/auth/session";
import { bankDetailsSchema, maskBankDetails } from "@/lib/banking/bank-details";
import { guard } from "@/lib/assurance/guard";
import type { Actor, ResumeOptions } from "@/lib/banking/transfers";
import { db } from "@/lib/db";
import { parseInput } from "@/lib/errors";

export type PayoutSummary = { holderName: string; masked: string; updatedAt: Date } | null;

/** Where the signed-in user's withdrawals and payouts go, masked. */
export async function getMyPayoutDestination(): Promise<PayoutSummary> {
  const user = await requireUser();
  const row = await db.payoutDestination.findUnique({ where: { userId: user.id } });
  return row ? { holderName: row.holderName, masked: maskBankDetails(row), updatedAt: row.updatedAt } : null;
}

export async function setPayoutDestination(raw: unknown): Promise<void> {
  return setPayoutDestinationAs(await requireUser(), raw);
}

/**
 * Changes the payout destination under a bound step-up every time (policy "payout.change"). Same
 * validation as payees. The audit keeps the masked old and new destinations, never full numbers.
 */
export async function setPayoutDestinationAs(actor: Actor, raw: unknown, options: ResumeOptions = {}): Promise<void> {
  const parsed = parseInput(bankDetailsSchema, raw);
  const { name, ...details } = parsed;
  const pass = await guard(actor, "payout.change", { payload: { payout: parsed, masked: maskBankDetails(parsed) }, intentId: options.intentId });
  await db.$transaction(async (tx) => {
    await pass.consume(tx, { payout: "changed" });
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
  });
}

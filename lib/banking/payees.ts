import "server-only";
import { recordAudit } from "@/lib/audit/log";
import { requireUser } from "@/lib/auth/session";
import { bankDetailsSchema, maskBankDetails } from "@/lib/banking/bank-details";
import { guard } from "@/lib/assurance/guard";
import type { Actor, ResumeOptions } from "@/lib/banking/transfers";
import { db } from "@/lib/db";
import { notFound, parseInput } from "@/lib/errors";
import type { Currency } from "@/lib/money";

export type PayeeSummary = { id: string; name: string; masked: string; currency: Currency; isNew: boolean };

/** The signed-in user's saved payees (not removed ones). */
export async function listMyPayees(): Promise<PayeeSummary[]> {
  const user = await requireUser();
  const rows = await db.payee.findMany({ where: { userId: user.id, removedAt: null }, orderBy: { name: "asc" } });
  return rows.map((p) => ({ id: p.id, name: p.name, masked: maskBankDetails(p), currency: p.currency as Currency, isNew: p.firstPaidAt === null }));
}

export async function addPayee(raw: unknown): Promise<{ id: string }> {
  return addPayeeAs(await requireUser(), raw);
}

/**
 * Adds a payee under a bound step-up every time (policy "payee.add"). A new payee stays "new" until
 * its first successful transfer, and policies treat new payees as risky.
 */
export async function addPayeeAs(actor: Actor, raw: unknown, options: ResumeOptions = {}): Promise<{ id: string }> {
  const details = parseInput(bankDetailsSchema, raw);
  const pass = await guard(actor, "payee.add", { payload: { payee: details, masked: maskBankDetails(details) }, intentId: options.intentId });
  return db.$transaction(async (tx) => {
    const payee = await tx.payee.create({ data: { userId: actor.id, currency: "USD", ...details } });
    await pass.consume(tx, { payeeId: payee.id });
    await recordAudit(
      { userId: actor.id, action: "payee.add", outcome: "SUCCESS", metadata: { payeeId: payee.id, destination: maskBankDetails(payee) } },
      tx,
    );
    return { id: payee.id };
  });
}

export async function removePayee(payeeId: unknown): Promise<void> {
  return removePayeeAs(await requireUser(), payeeId);
}

/** Soft delete: past transfers keep their beneficiary. Someone else's payee is "not found". */
export async function removePayeeAs(actor: Actor, payeeId: unknown): Promise<void> {
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

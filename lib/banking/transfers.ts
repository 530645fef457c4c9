import "server-only";
import { z } from "zod";
import { randomUUID } from "node:crypto";
import { defineOperation, ExemptionSpent, type Actor, type Prepared } from "@/lib/assurance/operation";
import { recordAudit } from "@/lib/audit/log";
import { requireUser } from "@/lib/auth/current-user";
import { maskBankDetails } from "@/lib/banking/bank-details";
import { checkDailyLimit } from "@/lib/banking/limits";
import { ensureInternalAccount, INTERNAL, postTransfer } from "@/lib/banking/ledger";
import { LOW_VALUE_DAILY_BUDGET_MINOR } from "@/lib/assurance/policy";
import { db, type Tx } from "@/lib/db";
import { DomainError, InputError, notFound } from "@/lib/errors";
import { LARGE_PAYMENT_MINOR, notify } from "@/lib/notify/messages";
import { formatMoney, isCurrency, parseAmount, toDecimalString, type Currency } from "@/lib/money";
import { paymentFacts } from "@/lib/risk/facts";
import { velocitySignals } from "@/lib/risk/signals";

/** The most one transfer may move (minor units): $25,000.00. Larger payments need a branch. */
export const MAX_TRANSFER_MINOR = 2_500_000n;
export const MEMO_MAX_LENGTH = 140;

const id = (what: string) =>
  z
    .string({ error: `Choose ${what}.` })
    .trim()
    .min(1, `Choose ${what}.`)
    .max(64, `Choose ${what}.`);

export const transferInputSchema = z.object({
  fromAccountId: id("the account to send from"),
  /** "account:<id>" for one of your accounts, or "payee:<id>" for a saved payee. */
  to: z
    .string({ error: "Choose who to send to." })
    .regex(/^(account|payee):[A-Za-z0-9_-]{1,64}$/, "Choose who to send to."),
  // The amount's form is checked here, with the other fields, so an empty form flags every field at
  // once; its limits (the account's currency, the maximum, the balance) are checked in prepare.
  amount: z
    .string({ error: "Enter an amount." })
    .max(64, "That amount is too long.")
    .superRefine((value, ctx) => {
      const parsed = parseAmount(value, "USD");
      if (!parsed.ok) ctx.addIssue({ code: "custom", message: parsed.message });
      else if (parsed.amount === 0n) ctx.addIssue({ code: "custom", message: "Enter an amount greater than zero." });
    }),
  memo: z
    .string()
    .max(MEMO_MAX_LENGTH, `Use at most ${MEMO_MAX_LENGTH} characters.`)
    .optional()
    .transform((memo) => memo?.trim() || null),
  /** Chosen once per form render; a retried submit with the same key returns the first result. */
  idempotencyKey: z
    .string({ error: "This form has expired. Reload the page and try again." })
    .regex(/^[A-Za-z0-9_-]{16,64}$/, "This form has expired. Reload the page and try again."),
});
export type TransferInput = z.input<typeof transferInputSchema>;

/** A transfer as its receipt and the API describe it: what `perform` gives back, so nothing reads it again. */
const RESULT_FIELDS = {
  id: true,
  reference: true,
  amount: true,
  currency: true,
  memo: true,
  sca: true,
  createdAt: true,
  fromAccountId: true,
  toAccountId: true,
  payeeId: true,
} as const;
export type TransferResult = {
  id: string;
  reference: string;
  amount: bigint;
  currency: string;
  memo: string | null;
  sca: string;
  createdAt: Date;
  fromAccountId: string;
  toAccountId: string;
  payeeId: string | null;
  replayed: boolean;
};
const resultOf = (t: Omit<TransferResult, "replayed">, replayed: boolean): TransferResult => ({
  id: t.id,
  reference: t.reference,
  amount: t.amount,
  currency: t.currency,
  memo: t.memo,
  sca: t.sca,
  createdAt: t.createdAt,
  fromAccountId: t.fromAccountId,
  toAccountId: t.toAccountId,
  payeeId: t.payeeId,
  replayed,
});

const moneyText = (payload: { amount: string; currency: string }) => {
  const currency = isCurrency(payload.currency) ? payload.currency : "USD";
  const parsed = parseAmount(payload.amount, currency);
  return parsed.ok ? formatMoney(parsed.amount, currency) : payload.amount;
};

/** What the customer authorises: exactly what the step-up page shows and the passkey signs. */
type TransferPayload = {
  from: Party;
  to: Party & { kind: "account" | "payee" };
  amount: string;
  currency: string;
  memo: string | null;
  idempotencyKey: string;
};

/**
 * Moves money: between the customer's own accounts ("transfer.own"), or to one of their payees
 * ("transfer.payee", PSD2 RTS Art. 5 dynamic linking, with Art. 16's low-value exemption). Every rule
 * that can be checked before writing is checked in `prepare` (so a payment that can't go through
 * never asks for a passkey); the debit, credit, both ledger entries, the payee's first-paid mark and
 * the audit event commit together or not at all.
 */
export const transfer = defineOperation({
  policies: ["transfer.own", "transfer.payee"],
  input: transferInputSchema,
  async prepare(actor, input): Promise<Prepared<TransferPayload, Plan> | { replay: TransferResult }> {
    const previous = await findByKey(actor.id, input.idempotencyKey);
    if (previous) return { replay: resultOf(previous, true) };
    const plan = await planTransfer(actor, input).catch(async (err: unknown) => {
      // A retry racing its own first submit: the first may have committed since the read above (and
      // spent the balance this one then found missing). Its result is the answer, not the refusal.
      const first = err instanceof DomainError ? await findByKey(actor.id, input.idempotencyKey) : null;
      if (first) return { replay: resultOf(first, true) } as const;
      throw err;
    });
    if ("replay" in plan) return plan;
    const payload: TransferPayload = {
      from: plan.from,
      to: plan.to,
      amount: toDecimalString(plan.amount, plan.currency),
      currency: plan.currency,
      memo: input.memo,
      idempotencyKey: input.idempotencyKey,
    };
    if (plan.kind === "account") return { action: "transfer.own", payload, carry: plan };
    return {
      action: "transfer.payee",
      payload,
      facts: {
        amountMinor: plan.amount,
        payeeIsNew: plan.payeeIsNew,
        exemptedLast24hMinor: await exemptedLast24h(actor.id),
        payment: await paymentFacts(actor.id, plan.payee, plan.amount),
      },
      carry: plan,
    };
  },
  inputOf: (p) => ({
    fromAccountId: p.from.id,
    to: `${p.to.kind}:${p.to.id}`,
    amount: p.amount,
    memo: p.memo ?? undefined,
    idempotencyKey: p.idempotencyKey,
  }),
  describe: (p) => ({
    title: `Send ${moneyText(p)} to ${p.to.name}`,
    details: [
      ["Amount", moneyText(p)],
      ["From", `${p.from.name} (${p.from.masked})`],
      ["To", `${p.to.name} (${p.to.masked})`],
      ...(p.memo ? ([["Memo", p.memo]] as [string, string][]) : []),
    ],
    after: "The money is sent as soon as you confirm, and you'll see the receipt.",
    // Cancel and Edit go back to the form with what was typed.
    backTo: `/transfers/new?${new URLSearchParams({ from: p.from.id, to: `${p.to.kind}:${p.to.id}`, amount: p.amount, ...(p.memo ? { memo: p.memo } : {}) })}`,
  }),
  // The browser's payment dialog (SPC): the payee, the amount exactly as stored, and the account it
  // leaves from, named as the step-up page's "From" row names it.
  payment: (p) => ({
    payeeName: p.to.name,
    total: { value: p.amount, currency: p.currency },
    instrument: { displayName: `${p.from.name} (${p.from.masked})` },
  }),
  review: ({ carry: plan }) => [
    [`${plan.from.name} balance after`, formatMoney(plan.sourceBalance - plan.amount, plan.currency)],
    ...(plan.kind === "payee" && plan.payeeIsNew
      ? ([["Payee", "New: you haven't paid them before"]] as [string, string][])
      : []),
  ],
  async run(tx, actor, { carry: plan, payload }, { sca }) {
    if (plan.kind === "payee") {
      // Touching the customer's row serialises their payments (a row lock on PostgreSQL; SQLite runs
      // one writer at a time), so the counts below see every payment committed before this one.
      await tx.user.update({ where: { id: actor.id }, data: { updatedAt: new Date() } });
      // PSD2 RTS Art. 16: the cumulative budget must hold under concurrency too.
      if (
        sca === "EXEMPT_LOW_VALUE" &&
        (await exemptedLast24h(actor.id, tx)) + plan.amount > LOW_VALUE_DAILY_BUDGET_MINOR
      )
        throw new ExemptionSpent();
      // PSD2 RTS Art. 18: the risk analysis that allowed a TRA exemption read the payments before this
      // one took the lock; payments racing it could have raised the pace since. Counted again now,
      // under the lock: if the pace is unusual now, the exemption is gone and the guard decides again.
      if (
        sca === "EXEMPT_TRA" &&
        velocitySignals({
          now: Date.now(),
          payment: await paymentFacts(actor.id, plan.payee, plan.amount, new Date(), tx),
        }).length > 0
      )
        throw new ExemptionSpent();
      await checkDailyLimit(actor.id, plan.amount, plan.currency, tx);
    }
    const destination =
      plan.kind === "payee"
        ? (
            await ensureInternalAccount(
              tx,
              INTERNAL.SETTLEMENT(plan.currency),
              "Outgoing payments (settlement)",
              plan.currency,
            )
          ).id
        : plan.toAccountId;
    const created = await postTransfer(tx, {
      userId: actor.id,
      fromAccountId: plan.fromAccountId,
      toAccountId: destination,
      payeeId: plan.kind === "payee" ? plan.payeeId : null,
      amount: plan.amount,
      currency: plan.currency,
      memo: payload.memo,
      idempotencyKey: payload.idempotencyKey,
      sca,
    });
    if (plan.kind === "payee") {
      await tx.payee.updateMany({
        where: { id: plan.payeeId, firstPaidAt: null },
        data: { firstPaidAt: created.createdAt },
      });
    }
    await recordAudit(
      {
        userId: actor.id,
        action: "transfer.create",
        outcome: "SUCCESS",
        metadata: {
          reference: created.reference,
          amount: plan.amount.toString(),
          currency: plan.currency,
          to: plan.kind,
          sca,
        },
      },
      tx,
    );
    // A payment at or above the notice threshold is told to the customer (docs/notifications.md).
    if (plan.kind === "payee" && plan.amount >= LARGE_PAYMENT_MINOR) {
      await notify(tx, actor.id, "payment.large", {
        amount: formatMoney(plan.amount, plan.currency),
        payee: payload.to.name,
        account: payload.from.masked,
      });
    }
    return resultOf(created, false);
  },
  record: (result) => ({ transferId: result.id }),
  resume: { kind: "run", to: (result) => `/transfers/${result.id}`, label: "View receipt" },
  success: "Payment sent.",
  audit: { action: "transfer.create", label: "Transfer", failures: true },
  apiScope: "transfer:funds",
  example: (c) => ({
    fromAccountId: c.accountIds[0],
    to: `payee:${c.payeeId}`,
    amount: "1250.00",
    memo: "Invoice 7",
    idempotencyKey: `example-${randomUUID()}`,
  }),
});

/** The customer's transfer made with this idempotency key, if any. */
const findByKey = (userId: string, idempotencyKey: string) =>
  db.transfer.findUnique({
    where: { userId_idempotencyKey: { userId, idempotencyKey } },
    select: RESULT_FIELDS,
  });

type Party = { id: string; name: string; masked: string };
type Plan = {
  fromAccountId: string;
  /** The source account's balance when the plan was made (for the review; the ledger checks it again). */
  sourceBalance: bigint;
  amount: bigint;
  currency: Currency;
  from: Party;
  to: Party & { kind: "account" | "payee" };
} & (
  | { kind: "account"; toAccountId: string }
  | {
      kind: "payee";
      payeeId: string;
      payeeIsNew: boolean;
      /** The payee's history, for the risk signals (lib/risk). */
      payee: { id: string; createdAt: Date; firstPaidAt: Date | null };
    }
);

/** PSD2 RTS Art. 16: what low-value payments have already used of the rolling 24-hour budget. */
async function exemptedLast24h(userId: string, client: Tx | typeof db = db): Promise<bigint> {
  const since = new Date(Date.now() - 24 * 60 * 60 * 1000);
  const sum = await client.transfer.aggregate({
    where: { userId, sca: "EXEMPT_LOW_VALUE", createdAt: { gte: since } },
    _sum: { amount: true },
  });
  return sum._sum.amount ?? 0n;
}

/** Checks ownership and every rule that can be checked before writing. Outsiders get "not found". */
async function planTransfer(actor: Actor, input: z.output<typeof transferInputSchema>): Promise<Plan> {
  const [kind, targetId] = input.to.split(":") as ["account" | "payee", string];
  if (kind === "account" && targetId === input.fromAccountId)
    throw new DomainError("same_account", "Choose two different accounts.", "to");
  // Between own accounts, both are read at once; only the customer's own rows match.
  const accounts = await db.account.findMany({
    where: {
      id: { in: kind === "account" ? [input.fromAccountId, targetId] : [input.fromAccountId] },
      userId: actor.id,
    },
    select: { id: true, currency: true, name: true, number: true, balance: true },
  });
  const source = accounts.find((a) => a.id === input.fromAccountId);
  if (!source || !isCurrency(source.currency)) {
    throw new DomainError("not_found", "That account was not found.", "fromAccountId");
  }
  const currency = source.currency;
  const from = { id: source.id, name: source.name, masked: `•••• ${source.number.slice(-4)}` };

  const parsed = parseAmount(input.amount, currency);
  if (!parsed.ok) throw new InputError({ amount: parsed.message });
  if (parsed.amount === 0n) throw new InputError({ amount: "Enter an amount greater than zero." });
  if (parsed.amount > MAX_TRANSFER_MINOR) {
    throw new InputError({ amount: `The most you can send at once is ${formatMoney(MAX_TRANSFER_MINOR, currency)}.` });
  }
  // Checked before any passkey is asked for; the ledger checks it again when the money moves.
  if (source.balance < parsed.amount)
    throw new DomainError("insufficient_funds", "There isn't enough money in that account.", "amount");

  if (kind === "account") {
    const target = accounts.find((a) => a.id === targetId);
    if (!target) throw new DomainError("not_found", "That account was not found.", "to");
    if (target.currency !== currency) {
      throw new DomainError("currency_mismatch", "Both accounts must use the same currency.", "to");
    }
    const to = { kind, id: target.id, name: target.name, masked: `•••• ${target.number.slice(-4)}` };
    return {
      kind,
      fromAccountId: source.id,
      sourceBalance: source.balance,
      toAccountId: target.id,
      amount: parsed.amount,
      currency,
      from,
      to,
    };
  }
  const payee = await db.payee.findFirst({
    where: { id: targetId, userId: actor.id, removedAt: null },
    select: {
      id: true,
      currency: true,
      name: true,
      iban: true,
      accountNumber: true,
      firstPaidAt: true,
      createdAt: true,
    },
  });
  if (!payee) throw new DomainError("not_found", "That payee was not found.", "to");
  if (payee.currency !== currency) {
    throw new DomainError(
      "currency_mismatch",
      `This payee is paid in ${payee.currency}; choose a ${payee.currency} account.`,
      "to",
    );
  }
  await checkDailyLimit(actor.id, parsed.amount, currency);
  const to = { kind, id: payee.id, name: payee.name, masked: maskBankDetails(payee) };
  return {
    kind,
    fromAccountId: source.id,
    sourceBalance: source.balance,
    payeeId: payee.id,
    payeeIsNew: payee.firstPaidAt === null,
    payee: { id: payee.id, createdAt: payee.createdAt, firstPaidAt: payee.firstPaidAt },
    amount: parsed.amount,
    currency,
    from,
    to,
  };
}

export type TransferDetail = {
  id: string;
  reference: string;
  amount: bigint;
  currency: Currency;
  memo: string | null;
  createdAt: Date;
  /** How the customer confirmed it, for the receipt (Transfer.sca). */
  sca: string;
  from: { id: string; name: string; last4: string };
  to: { kind: "account"; id: string; name: string; last4: string } | { kind: "payee"; name: string; masked: string };
};

/** One of the signed-in user's transfers; anyone else's is "not found". */
export async function getMyTransfer(transferId: unknown): Promise<TransferDetail> {
  const user = await requireUser();
  if (typeof transferId !== "string" || transferId.length > 64) throw notFound("That transfer");
  const t = await db.transfer.findFirst({
    where: { id: transferId, userId: user.id },
    include: {
      fromAccount: { select: { id: true, name: true, number: true } },
      toAccount: { select: { id: true, name: true, number: true, userId: true } },
      payee: { select: { name: true, iban: true, accountNumber: true } },
    },
  });
  if (!t || !isCurrency(t.currency)) throw notFound("That transfer");
  return {
    id: t.id,
    reference: t.reference,
    amount: t.amount,
    currency: t.currency,
    memo: t.memo,
    createdAt: t.createdAt,
    sca: t.sca,
    from: { id: t.fromAccount.id, name: t.fromAccount.name, last4: t.fromAccount.number.slice(-4) },
    to: t.payee
      ? { kind: "payee", name: t.payee.name, masked: maskBankDetails(t.payee) }
      : { kind: "account", id: t.toAccount.id, name: t.toAccount.name, last4: t.toAccount.number.slice(-4) },
  };
}

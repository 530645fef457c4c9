import "server-only";
import { randomBytes, randomInt } from "node:crypto";
import type { Tx } from "@/lib/db";
import type { Sca } from "@/lib/assurance/operation";
import { DomainError } from "@/lib/errors";
import type { Currency } from "@/lib/money";

/**
 * The double-entry core. Every movement of money is one Transfer with exactly two insert-only
 * LedgerEntry rows that sum to zero, so the sum of all balances (customers' and the bank's own
 * internal accounts) is always 0. Internal accounts may go negative (the bank's side of opening
 * deposits and external settlement); customer accounts never do.
 */

export const ACCOUNT_TYPES = ["CHECKING", "SAVINGS", "INTERNAL"] as const;
export type AccountType = (typeof ACCOUNT_TYPES)[number];

/** The bank's own accounts, one per purpose and currency. */
export const INTERNAL = {
  /** Funds opening balances (the bank's equity side). */
  OPENING: (currency: Currency) => `INT-OPENING-${currency}`,
  /** Clearing account that receives transfers to external payees until they settle. */
  SETTLEMENT: (currency: Currency) => `INT-SETTLEMENT-${currency}`,
} as const;

export async function ensureInternalAccount(tx: Tx, number: string, name: string, currency: Currency) {
  return tx.account.upsert({
    where: { number },
    create: { number, name, currency, type: "INTERNAL", userId: null },
    update: {},
  });
}

/** Ten random digits; the unique index catches the (rare) collision and the caller retries. */
export const newAccountNumber = () => String(randomInt(1_000_000_000, 10_000_000_000));

/** Unambiguous characters only (no 0/O, 1/I/L) so references can be read out over the phone. */
const REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
export function newReference(): string {
  const bytes = randomBytes(8);
  const chars = Array.from(bytes, (b) => REFERENCE_ALPHABET[b % REFERENCE_ALPHABET.length]);
  return `VLT-${chars.slice(0, 4).join("")}-${chars.slice(4).join("")}`;
}

export type Posting = {
  userId: string;
  fromAccountId: string;
  toAccountId: string;
  amount: bigint;
  currency: Currency;
  idempotencyKey: string;
  memo?: string | null;
  payeeId?: string | null;
  /** Only the bank's internal accounts may be debited below zero. */
  allowNegativeSource?: boolean;
  /** How strong customer authentication was satisfied (see Transfer.sca). */
  sca?: Sca;
  /** Seed data only: backdate the movement. */
  at?: Date;
};

/** Prisma's "no row matched the update's where" (P2025), turned into the domain's refusal. */
const notMatched = (refusal: () => DomainError) => (err: unknown) => {
  throw (err as { code?: unknown } | null)?.code === "P2025" ? refusal() : err;
};

/**
 * Posts one transfer inside the caller's transaction.
 *
 * The debit is a guarded UPDATE (`balance >= amount`, exactly one row must change), never a read,
 * check and write in JS: on PostgreSQL the UPDATE takes the row lock and re-checks its predicate, so
 * concurrent transfers cannot overdraw or lose an update. Rows are locked in id order so two
 * opposite transfers (A->B and B->A) can't deadlock.
 */
export async function postTransfer(tx: Tx, p: Posting) {
  if (p.amount <= 0n) throw new DomainError("invalid_amount", "Enter an amount greater than zero.", "amount");
  if (p.fromAccountId === p.toAccountId) {
    throw new DomainError("same_account", "Choose two different accounts.", "toAccountId");
  }

  // Each UPDATE returns the row's new balance (UPDATE … RETURNING): the post-balance for the ledger
  // entry without reading the rows again. A debit matches only while the balance covers it.
  const debit = () =>
    tx.account
      .update({
        where: {
          id: p.fromAccountId,
          currency: p.currency,
          ...(p.allowNegativeSource ? {} : { balance: { gte: p.amount } }),
        },
        data: { balance: { decrement: p.amount } },
        select: { balance: true },
      })
      .catch(
        notMatched(() => new DomainError("insufficient_funds", "There isn't enough money in that account.", "amount")),
      );
  const credit = () =>
    tx.account
      .update({
        where: { id: p.toAccountId, currency: p.currency },
        data: { balance: { increment: p.amount } },
        select: { balance: true },
      })
      .catch(
        notMatched(() => new DomainError("currency_mismatch", "The accounts use different currencies.", "toAccountId")),
      );
  let fromAfter: bigint, toAfter: bigint;
  if (p.fromAccountId < p.toAccountId) {
    fromAfter = (await debit()).balance;
    toAfter = (await credit()).balance;
  } else {
    toAfter = (await credit()).balance;
    fromAfter = (await debit()).balance;
  }
  const at = p.at ?? new Date();
  const reference = newReference();

  const transfer = await tx.transfer.create({
    data: {
      reference,
      userId: p.userId,
      fromAccountId: p.fromAccountId,
      toAccountId: p.toAccountId,
      payeeId: p.payeeId ?? null,
      amount: p.amount,
      currency: p.currency,
      memo: p.memo ?? null,
      idempotencyKey: p.idempotencyKey,
      sca: p.sca ?? "NONE",
      createdAt: at,
    },
  });
  // Both entries in one INSERT (a nested create would add a read of the transfer back).
  await tx.ledgerEntry.createMany({
    data: [
      {
        transferId: transfer.id,
        accountId: p.fromAccountId,
        amount: -p.amount,
        balanceAfter: fromAfter,
        createdAt: at,
      },
      { transferId: transfer.id, accountId: p.toAccountId, amount: p.amount, balanceAfter: toAfter, createdAt: at },
    ],
  });
  return transfer;
}

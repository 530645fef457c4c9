import "server-only";
import { randomUUID } from "node:crypto";
import { guard, type GuardActor } from "@/lib/assurance/guard";
import { recordAudit } from "@/lib/audit/log";
import { requireUser } from "@/lib/auth/session";
import { notFound } from "@/lib/errors";
import { db, type Tx } from "@/lib/db";
import type { Currency } from "@/lib/money";
import { ensureInternalAccount, INTERNAL, newAccountNumber, postTransfer, type AccountType } from "@/lib/banking/ledger";

/** What every new customer gets, funded from the bank's opening-balance account (documented in README). */
export const DEFAULT_ACCOUNTS: readonly { name: string; type: AccountType; currency: Currency; opening: bigint }[] = [
  { name: "Everyday Checking", type: "CHECKING", currency: "USD", opening: 250_000n }, // $2,500.00
  { name: "Savings", type: "SAVINGS", currency: "USD", opening: 1_000_000n }, // $10,000.00
];

/** Opens the default accounts inside the sign-up transaction, with real ledger postings. */
export async function openDefaultAccounts(tx: Tx, userId: string, at?: Date) {
  const opened = [];
  for (const spec of DEFAULT_ACCOUNTS) {
    const account = await tx.account.create({
      data: { userId, name: spec.name, type: spec.type, currency: spec.currency, number: newAccountNumber() },
    });
    const opening = await ensureInternalAccount(tx, INTERNAL.OPENING(spec.currency), "Opening balances", spec.currency);
    await postTransfer(tx, {
      userId,
      fromAccountId: opening.id,
      toAccountId: account.id,
      amount: spec.opening,
      currency: spec.currency,
      idempotencyKey: `opening:${randomUUID()}`,
      memo: "Opening deposit",
      allowNegativeSource: true,
      at,
    });
    opened.push(account);
  }
  return opened;
}

export type AccountSummary = {
  id: string;
  name: string;
  type: string;
  currency: Currency;
  balance: bigint;
  /** Only the last four digits ever leave the server by default. */
  last4: string;
};

/** The signed-in user's own accounts, and nobody else's. */
export async function listMyAccounts(): Promise<AccountSummary[]> {
  return listAccountsOf(await requireUser());
}

/** The same for a customer authenticated by the caller (the API, with a bearer token). */
export async function listAccountsOf(user: { id: string }): Promise<AccountSummary[]> {
  const rows = await db.account.findMany({
    where: { userId: user.id },
    orderBy: { createdAt: "asc" },
    select: { id: true, name: true, type: true, currency: true, balance: true, number: true },
  });
  return rows.map(({ number, ...row }) => ({ ...row, currency: row.currency as Currency, last4: number.slice(-4) }));
}

export const ENTRIES_PAGE_SIZE = 20;

export type AccountEntry = {
  id: string;
  amount: bigint;
  balanceAfter: bigint;
  createdAt: Date;
  transferId: string;
  reference: string;
  memo: string | null;
  counterparty: string;
};

/** One of the signed-in user's accounts with a page of its ledger, newest first; others are "not found". */
export async function getMyAccount(accountId: unknown, page: unknown = 1) {
  return getAccountOf(await requireUser(), accountId, page);
}

/** The same for a customer authenticated by the caller (the API, with a bearer token). */
export async function getAccountOf(user: { id: string }, accountId: unknown, page: unknown = 1) {
  if (typeof accountId !== "string" || accountId.length > 64) throw notFound("That account");
  const account = await db.account.findFirst({
    where: { id: accountId, userId: user.id },
    select: { id: true, name: true, type: true, currency: true, balance: true, number: true },
  });
  if (!account) throw notFound("That account");
  const pageNumber = Math.min(Math.max(Math.trunc(Number(page)) || 1, 1), 10_000);
  // One row more than a page says whether there is an older page. No COUNT(*): it reads every entry
  // of the account, so it grew with the account's history (the bench's 100k-entry run showed it).
  const rows = await db.ledgerEntry.findMany({
    where: { accountId },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    skip: (pageNumber - 1) * ENTRIES_PAGE_SIZE,
    take: ENTRIES_PAGE_SIZE + 1,
    include: {
      transfer: {
        select: {
          reference: true,
          memo: true,
          fromAccountId: true,
          fromAccount: { select: { name: true } },
          toAccount: { select: { name: true } },
          payee: { select: { name: true } },
        },
      },
    },
  });
  const hasOlder = rows.length > ENTRIES_PAGE_SIZE;
  const entries: AccountEntry[] = rows.slice(0, ENTRIES_PAGE_SIZE).map((e) => ({
    id: e.id,
    amount: e.amount,
    balanceAfter: e.balanceAfter,
    createdAt: e.createdAt,
    transferId: e.transferId,
    reference: e.transfer.reference,
    memo: e.transfer.memo,
    counterparty:
      e.transfer.fromAccountId === accountId
        ? (e.transfer.payee?.name ?? e.transfer.toAccount.name)
        : e.transfer.fromAccount.name,
  }));
  const { number, ...rest } = account;
  return {
    account: { ...rest, currency: rest.currency as Currency, last4: number.slice(-4) },
    entries,
    page: pageNumber,
    hasOlder,
  };
}

/**
 * The full account number of one of the signed-in user's accounts. Policy "account.reveal": a
 * passkey within the last 10 minutes (throws StepUpRequired otherwise). Audited.
 */
export async function revealAccountNumber(accountId: unknown): Promise<string> {
  return revealAccountNumberAs(await requireUser(), accountId);
}

/** revealAccountNumber for an actor authenticated by the caller: the API, whose token's acr and auth_time the guard checks. */
export async function revealAccountNumberAs(user: GuardActor, accountId: unknown): Promise<string> {
  if (typeof accountId !== "string" || accountId.length > 64) throw notFound("That account");
  const account = await db.account.findFirst({ where: { id: accountId, userId: user.id }, select: { number: true, name: true } });
  if (!account) {
    await recordAudit({ userId: user.id, action: "account.reveal", outcome: "DENIED", reason: "not_found" });
    throw notFound("That account");
  }
  const pass = await guard(user, "account.reveal", { payload: { accountId, accountName: account.name, last4: account.number.slice(-4) } });
  // A step-up token's intent is used up by the reveal it was confirmed for (a no-op otherwise).
  await db.$transaction(async (tx) => {
    await pass.consume(tx, { accountId });
    await recordAudit({ userId: user.id, action: "account.reveal", outcome: "SUCCESS", metadata: { accountId } }, tx);
  });
  return account.number;
}

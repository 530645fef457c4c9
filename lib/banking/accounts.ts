import "server-only";
import { z } from "zod";
import { defineOperation } from "@/lib/assurance/operation";
import { recordAudit } from "@/lib/audit/log";
import { requireUser } from "@/lib/auth/current-user";
import { notFound } from "@/lib/errors";
import { db } from "@/lib/db";
import type { Currency } from "@/lib/money";

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
  return listAccountsFor(await requireUser());
}

/** The same for a customer authenticated by the caller (the API, with a bearer token). */
export async function listAccountsFor(user: { id: string }): Promise<AccountSummary[]> {
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
  return getAccountFor(await requireUser(), accountId, page);
}

/** The same for a customer authenticated by the caller (the API, with a bearer token). */
export async function getAccountFor(user: { id: string }, accountId: unknown, page: unknown = 1) {
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

// Any id that is missing or not text is simply not found (outsiders learn nothing from the answer).
const revealInput = z.object({ accountId: z.string().catch("") });

/**
 * The full account number of one of the customer's accounts. Policy "account.reveal": a passkey
 * within the last 10 minutes, a grace window not bound to one account. Audited.
 */
export const accountReveal = defineOperation({
  policies: ["account.reveal"],
  input: revealInput,
  async prepare(actor, { accountId }) {
    const account =
      accountId.length <= 64
        ? await db.account.findFirst({
            where: { id: accountId, userId: actor.id },
            select: { number: true, name: true },
          })
        : null;
    if (!account) {
      await recordAudit({ userId: actor.id, action: "account.reveal", outcome: "DENIED", reason: "not_found" });
      throw notFound("That account");
    }
    return {
      action: "account.reveal",
      payload: { accountId, accountName: account.name, last4: account.number.slice(-4) },
      carry: account.number,
    };
  },
  inputOf: (p) => ({ accountId: p.accountId }),
  describe: (p) => ({
    title: `Show the full number of ${p.accountName}`,
    details: [["Account", `${p.accountName} (•••• ${p.last4})`]],
    after:
      "The number is shown right away, and for the next 10 minutes you can reveal numbers without confirming again.",
    backTo: `/accounts/${p.accountId}`,
  }),
  async run(tx, actor, { payload, carry: number }) {
    await recordAudit(
      { userId: actor.id, action: "account.reveal", outcome: "SUCCESS", metadata: { accountId: payload.accountId } },
      tx,
    );
    return number;
  },
  record: () => ({ revealed: "1" }),
  // The number is shown once, on the account's page, which reveals it again within the grace window.
  resume: { kind: "revisit", to: (p) => `/accounts/${p.accountId}?reveal=1` },
  success: "Account number shown.",
  audit: { action: "account.reveal", label: "Account number revealed" },
  apiScope: "accounts:read",
  example: (c) => ({ accountId: c.accountIds[0] }),
});

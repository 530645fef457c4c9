import "server-only";
import { randomUUID } from "node:crypto";
import {
  ensureInternalAccount,
  INTERNAL,
  newAccountNumber,
  postTransfer,
  type AccountType,
} from "@/lib/banking/ledger";
import type { Tx } from "@/lib/db";
import type { Currency } from "@/lib/money";

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

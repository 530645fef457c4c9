import "server-only";
import { requireUser } from "@/lib/auth/current-user";
import { getMyTransfer, type TransferDetail } from "@/lib/banking/transfers";
import { db } from "@/lib/db";
import { isCurrency, type Currency } from "@/lib/money";

/**
 * Read models for the customer's own money screens, with the direction each amount moved for them:
 * "out" (a payment, shown −), "in" (shown +) or "between" their own accounts. Read only; the rules for
 * moving money stay in transfers.ts.
 */
export type Direction = "out" | "in" | "between";

export type ActivityRow = {
  id: string;
  amount: bigint;
  currency: Currency;
  memo: string | null;
  createdAt: Date;
  fromName: string;
  toName: string;
  direction: Direction;
};

/** The signed-in user's latest transfers across their accounts, newest first, each with its direction. */
export async function listMyRecentActivity(limit = 10): Promise<ActivityRow[]> {
  const user = await requireUser();
  const rows = await db.transfer.findMany({
    where: { userId: user.id },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: Math.min(Math.max(limit, 1), 100),
    include: {
      fromAccount: { select: { name: true, userId: true } },
      toAccount: { select: { name: true, userId: true } },
      payee: { select: { name: true } },
    },
  });
  return rows.flatMap((t) => {
    if (!isCurrency(t.currency)) return [];
    const fromMine = t.fromAccount.userId === user.id;
    const toMine = !t.payeeId && t.toAccount.userId === user.id;
    const direction: Direction = fromMine && toMine ? "between" : fromMine ? "out" : "in";
    return [
      {
        id: t.id,
        amount: t.amount,
        currency: t.currency,
        memo: t.memo,
        createdAt: t.createdAt,
        fromName: t.fromAccount.name,
        toName: t.payee?.name ?? t.toAccount.name,
        direction,
      },
    ];
  });
}

export type Receipt = TransferDetail & {
  direction: Direction;
  /** The sending account's balance right after this transfer (its ledger entry), if it is the customer's. */
  balanceAfter: bigint | null;
};

/** One of the customer's transfers as a receipt: the detail, which way it went, and the balance after it. */
export async function getMyReceipt(transferId: unknown): Promise<Receipt> {
  const user = await requireUser();
  const transfer = await getMyTransfer(transferId); // not found for anyone else's
  const entry = await db.ledgerEntry.findFirst({
    where: { transferId: transfer.id, accountId: transfer.from.id, account: { userId: user.id } },
    select: { balanceAfter: true },
  });
  const direction: Direction = transfer.to.kind === "account" ? "between" : "out";
  return { ...transfer, direction, balanceAfter: entry?.balanceAfter ?? null };
}

import { json, protectedRoute } from "@/lib/api/http";
import { money } from "@/lib/api/views";
import { getAccountFor } from "@/lib/banking/accounts";

export const dynamic = "force-dynamic";

/** One account's ledger, newest first, 20 a page (`?page=2`). Scope transfers:read; another customer's account is 404. */
export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
  return protectedRoute(request, "transfers:read", async (actor) => {
    const page = new URL(request.url).searchParams.get("page") ?? "1";
    const { account, entries, page: pageNumber, hasOlder } = await getAccountFor(actor, (await params).id, page);
    return json(200, {
      account_id: account.id,
      page: pageNumber,
      next_page: hasOlder ? pageNumber + 1 : null,
      data: entries.map((e) => ({
        id: e.id,
        transfer_id: e.transferId,
        reference: e.reference,
        memo: e.memo,
        counterparty: e.counterparty,
        currency: account.currency,
        ...money("amount", e.amount, account.currency),
        ...money("balance_after", e.balanceAfter, account.currency),
        created_at: e.createdAt.toISOString(),
      })),
    });
  });
}

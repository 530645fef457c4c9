import { json, protectedRoute } from "@/lib/api/http";
import { money } from "@/lib/api/views";
import { listAccountsFor } from "@/lib/banking/accounts";

export const dynamic = "force-dynamic";

/** The customer's accounts and balances. Scope accounts:read; only the last four digits of each number. */
export async function GET(request: Request) {
  return protectedRoute(request, "accounts:read", async (actor) => {
    const accounts = await listAccountsFor(actor);
    return json(200, {
      data: accounts.map((a) => ({
        id: a.id,
        name: a.name,
        type: a.type.toLowerCase(),
        currency: a.currency,
        last4: a.last4,
        ...money("balance", a.balance, a.currency),
      })),
    });
  });
}

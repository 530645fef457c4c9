import { json, protectedRoute } from "@/lib/api/http";
import { perform } from "@/lib/assurance/pipeline";
import { accountReveal } from "@/lib/banking/accounts";

export const dynamic = "force-dynamic";

/**
 * The full account number, under the web app's own policy "account.reveal" (a passkey within 10
 * minutes): a token whose authentication is weaker or older gets RFC 9470's 401. Scope accounts:read.
 * A step-up token reveals only the account its intent names, once.
 */
export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
  return protectedRoute(
    request,
    "accounts:read",
    async (actor) => {
      const id = (await params).id;
      return json(200, { account_id: id, number: await perform(accountReveal, actor, { accountId: id }) });
    },
    { runsStepUpIntents: true },
  );
}

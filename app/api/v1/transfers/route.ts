import { apiError, json, protectedRoute, readJson } from "@/lib/api/http";
import { money } from "@/lib/api/views";
import { perform } from "@/lib/assurance/pipeline";
import { transfer } from "@/lib/banking/transfers";
import type { Currency } from "@/lib/money";

export const dynamic = "force-dynamic";

/**
 * Moves money, under the web app's own policies ("transfer.own", "transfer.payee") and guard. Scope
 * transfer:funds, and an `Idempotency-Key` header: a retry with the same key returns the first
 * result (200) instead of moving money again (201).
 *
 * A payment that needs the customer's passkey answers RFC 9470's 401 with the stored intent; after
 * the customer confirms it, the client sends the same request again with the single-use step-up
 * token it got for that intent (README "API").
 */
export async function POST(request: Request) {
  return protectedRoute(
    request,
    "transfer:funds",
    async (actor) => {
      const key = request.headers.get("idempotency-key");
      if (!key || !/^[A-Za-z0-9_-]{16,64}$/.test(key)) {
        return apiError(
          400,
          "invalid_request",
          "Send an Idempotency-Key header: 16 to 64 letters, digits, - or _, new for each payment.",
        );
      }
      const read = await readJson(request);
      if (!read.ok) return read.response;
      const { body } = read;
      const raw = {
        fromAccountId: body.from_account_id,
        to: body.to,
        amount: body.amount,
        memo: body.memo ?? undefined,
        idempotencyKey: key,
      };
      // A step-up token runs as its intent: the guard refuses any other operation (401 invalid_token).
      // The operation gives back the transfer as stored (or, for a retry, as first stored): no re-read.
      const t = await perform(transfer, actor, raw);
      const currency = t.currency as Currency;
      return json(t.replayed ? 200 : 201, {
        id: t.id,
        reference: t.reference,
        status: "completed",
        from_account_id: t.fromAccountId,
        to: t.payeeId ? `payee:${t.payeeId}` : `account:${t.toAccountId}`,
        currency,
        ...money("amount", t.amount, currency),
        memo: t.memo,
        sca: t.sca.toLowerCase(),
        created_at: t.createdAt.toISOString(),
        replayed: t.replayed,
      });
    },
    { runsStepUpIntents: true },
  );
}

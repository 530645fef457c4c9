import { guard, StepUpRequired } from "@/lib/assurance/guard";
import { getSessionUser } from "@/lib/auth/current-user";
import { db } from "@/lib/db";

/**
 * Bench-only twin route: a `*.bench.ts` route is compiled only into `npm run bench`'s own build
 * (next.config.js, VAULT_BENCH_BUILD=1); a normal build has no /api/bench at all.
 *
 * The same handler with the assurance guard (`?guard=on`) and without it (`?guard=off`), so the bench
 * can time what the guard adds to a real request over HTTP. Both authenticate the session themselves.
 * `policy` picks the decision: "transfer.own" (no step-up needed: the hot path of every transfer
 * between a customer's own accounts) or "account.reveal" (a sensitive action, allowed for 10 minutes
 * after a passkey step-up: the guard reads the user's passkeys and recovery hold, and audits).
 */
export const dynamic = "force-dynamic";

const POLICIES = ["transfer.own", "account.reveal"] as const;

export async function GET(request: Request) {
  const user = await getSessionUser();
  if (!user) return Response.json({ error: "unauthenticated" }, { status: 401 });
  const query = new URL(request.url).searchParams;
  const policy = POLICIES.find((p) => p === query.get("policy")) ?? "transfer.own";
  if (query.get("guard") !== "off") {
    try {
      await guard(user, policy, { payload: { bench: "guard" } });
    } catch (err) {
      if (err instanceof StepUpRequired) return Response.json({ error: "step-up required" }, { status: 403 });
      throw err;
    }
  }
  const accounts = await db.account.findMany({
    where: { userId: user.id },
    orderBy: { createdAt: "asc" },
    select: { id: true, balance: true },
  });
  return Response.json(
    accounts.map((a) => ({ id: a.id, balance: a.balance.toString() })),
    { headers: { "cache-control": "no-store" } },
  );
}

import { randomUUID } from "node:crypto";
import { perform } from "@/lib/assurance/pipeline";
import type { Actor } from "@/lib/assurance/operation";
import { StepUpRequired } from "@/lib/assurance/guard";
import { auditedTransaction } from "@/lib/audit/log";
import { getSessionUser } from "@/lib/auth/current-user";
import { accountReveal } from "@/lib/banking/accounts";
import { transfer } from "@/lib/banking/transfers";
import { db } from "@/lib/db";
import { parseInput } from "@/lib/errors";

/**
 * Bench-only twin route: a `*.bench.ts` route is compiled only into `npm run bench`'s own build
 * (next.config.js, VAULT_BENCH_BUILD=1); a normal build has no /api/bench at all.
 *
 * One real operation, run the way every channel runs it (`?guard=on`: lib/assurance/pipeline.ts's
 * perform, which parses, prepares, asks the guard and commits the operation with the guard's audit
 * row) and the same operation without the guard (`?guard=off`: parse, prepare, then `run` in its own
 * transaction), so the bench can time what the guard adds to a real request over HTTP. Both
 * authenticate the session themselves. `policy` picks the operation:
 * - "transfer.own": 0.01 from the customer's first account to their second (no step-up policy: the hot
 *   path of every transfer between a customer's own accounts);
 * - "account.reveal": the first account's full number (a sensitive action, allowed for 10 minutes after a
 *   passkey step-up: the guard also reads the user's passkeys and recovery hold).
 */
export const dynamic = "force-dynamic";

async function unguarded<In, P extends Record<string, unknown>, C, R>(
  op: Parameters<typeof perform<In, P, C, R>>[0],
  actor: Actor,
  raw: unknown,
): Promise<R> {
  const prepared = await op.prepare(actor, parseInput(op.input, raw));
  if ("replay" in prepared) return prepared.replay;
  const ready = op.compute ? { ...prepared, carry: await op.compute(actor, prepared) } : prepared;
  return auditedTransaction((tx) => op.run(tx, actor, ready, { sca: "NONE" }));
}

export async function GET(request: Request) {
  const user = await getSessionUser();
  if (!user) return Response.json({ error: "unauthenticated" }, { status: 401 });
  const query = new URL(request.url).searchParams;
  const guarded = query.get("guard") !== "off";
  const accounts = await db.account.findMany({
    where: { userId: user.id },
    orderBy: { createdAt: "asc" },
    select: { id: true },
  });
  try {
    if (query.get("policy") === "account.reveal") {
      const raw = { accountId: accounts[0].id };
      const number = guarded ? await perform(accountReveal, user, raw) : await unguarded(accountReveal, user, raw);
      return Response.json({ last4: number.slice(-4) }, { headers: { "cache-control": "no-store" } });
    }
    const raw = {
      fromAccountId: accounts[0].id,
      to: `account:${accounts[1].id}`,
      amount: "0.01",
      idempotencyKey: randomUUID().replaceAll("-", ""),
    };
    const done = guarded ? await perform(transfer, user, raw) : await unguarded(transfer, user, raw);
    return Response.json({ reference: done.reference }, { headers: { "cache-control": "no-store" } });
  } catch (err) {
    if (err instanceof StepUpRequired) return Response.json({ error: "step-up required" }, { status: 403 });
    throw err;
  }
}

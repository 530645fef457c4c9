import { notFound } from "next/navigation";
import { auth } from "@/lib/auth/config";
import { getSessionUser } from "@/lib/auth/current-user";
import { isSessionLive } from "@/lib/auth/session-records";
import { db } from "@/lib/db";
import { formatMoney, isCurrency } from "@/lib/money";

/**
 * Bench-only twin page (built only into `npm run bench`'s own build, like app/api/bench): a signed-in
 * page listing the customer's accounts, with the session read (`?read=on`, what every Vault page does)
 * or with it stubbed out (`?read=off&user=<id>`: the customer named in the query, no cookie read), so
 * the bench can time what reading the session adds to a page over HTTP; `?read=authjs` reads it the
 * way Vault did before (Auth.js' auth() round), for comparison in the same run.
 */
export const dynamic = "force-dynamic";

/** How Vault read the session before (for the bench's comparison): Auth.js' whole auth() round, then the session row. */
async function authJsRound(): Promise<string | undefined> {
  const session = await auth();
  const id = session?.user?.id;
  return id && session.sid && (await isSessionLive(session.sid, id)) ? id : undefined;
}

export default async function BenchSessionPage({ searchParams }: { searchParams: Promise<Record<string, string>> }) {
  const query = await searchParams;
  const userId =
    query.read === "off" ? query.user : query.read === "authjs" ? await authJsRound() : (await getSessionUser())?.id;
  if (!userId) notFound();
  const accounts = await db.account.findMany({
    where: { userId },
    orderBy: { createdAt: "asc" },
    select: { id: true, name: true, balance: true, currency: true },
  });
  return (
    <main className="p-6">
      <h1 className="text-xl font-semibold">Accounts</h1>
      <ul>
        {accounts.map((a) => (
          <li key={a.id}>
            {a.name}: {isCurrency(a.currency) ? formatMoney(a.balance, a.currency) : String(a.balance)}
          </li>
        ))}
      </ul>
    </main>
  );
}

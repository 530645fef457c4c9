import type { Metadata } from "next";
import Link from "next/link";
import { getMySecurityStatus } from "@/lib/auth/security-status";
import { requireUser } from "@/lib/auth/current-user";
import { listMyAccounts } from "@/lib/banking/accounts";
import { getMyBalanceHistory, parseRange } from "@/lib/banking/balance-history";
import { listMyRecentActivity } from "@/lib/banking/activity";
import { getTimeZone } from "@/app/_components/when";
import { AccountsSection } from "./accounts-section";
import { RecentActivity } from "./recent-activity";
import { SecurityStatus } from "./security-status";
import { formatWhen } from "@/lib/time-zone";

export const metadata: Metadata = { title: "Accounts" };

export default async function DashboardPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const user = await requireUser();
  const range = parseRange((await searchParams).range);
  // The charts stream in after the balances (a skeleton of the same size holds their place, so nothing moves).
  const histories = getMyBalanceHistory(range);
  histories.catch(() => {}); // awaited (and reported) by each card's chart; this only silences the unobserved copy
  const [accounts, activity, security] = await Promise.all([
    listMyAccounts(),
    listMyRecentActivity(8),
    getMySecurityStatus(),
  ]);
  const zone = await getTimeZone();
  const when = (d: Date) => formatWhen(d, zone);
  return (
    <div className="space-y-8">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">Hello, {user.name}</h1>
          <p className="text-slate-600">Your accounts and balances.</p>
        </div>
        <Link
          href="/transfers/new"
          className="rounded-lg bg-accent-600 px-4 py-2 text-sm font-medium text-white hover:bg-accent-700"
        >
          Move money
        </Link>
      </div>
      <AccountsSection accounts={accounts} range={range} histories={histories} />
      <RecentActivity activity={activity} />
      <SecurityStatus security={security} when={when} />
    </div>
  );
}

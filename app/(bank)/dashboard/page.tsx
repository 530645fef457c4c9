import type { Metadata } from "next";
import Link from "next/link";
import { Suspense } from "react";
import { getMySecurityStatus } from "@/lib/auth/security-status";
import { requireUser } from "@/lib/auth/current-user";
import { listMyAccounts } from "@/lib/banking/accounts";
import { getMyBalanceHistory, HISTORY_RANGES, parseRange, type BalanceHistory } from "@/lib/banking/balance-history";
import { Skeleton } from "@/app/_components/skeleton";
import { BalanceChart } from "@/app/_components/balance-chart";
import { EmptyState } from "@/app/_components/empty-state";
import { listMyRecentActivity } from "@/lib/banking/activity";
import { SignedAmount } from "@/app/_components/amount";
import { getTimeZone, When } from "@/app/_components/when";
import { formatWhen } from "@/lib/time-zone";
import { formatMoney } from "@/lib/money";

export const metadata: Metadata = { title: "Accounts" };

async function AccountChart({
  histories,
  accountId,
  days,
  label,
}: {
  histories: Promise<BalanceHistory[]>;
  accountId: string;
  days: number;
  label: string;
}) {
  const history = (await histories).find((h) => h.accountId === accountId);
  return history ? (
    <BalanceChart points={history.points} currency={history.currency} days={days} label={label} />
  ) : null;
}

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
      {accounts.length === 0 ? (
        <EmptyState>You have no accounts yet.</EmptyState>
      ) : (
        <section aria-labelledby="accounts-heading" className="space-y-3">
          <div className="flex flex-wrap items-center justify-between gap-2">
            <h2 id="accounts-heading" className="text-lg font-semibold">
              Accounts
            </h2>
            <nav
              aria-label="Balance history range"
              className="flex gap-1 rounded-lg border border-slate-200 bg-white p-0.5 text-sm"
            >
              {HISTORY_RANGES.map((days) => (
                <Link
                  key={days}
                  href={days === HISTORY_RANGES[0] ? "/dashboard" : `/dashboard?range=${days}`}
                  scroll={false}
                  aria-current={days === range ? "page" : undefined}
                  className={`rounded-md px-2.5 py-1 font-medium ${days === range ? "bg-accent-600 text-white" : "text-slate-700 hover:bg-slate-100"}`}
                >
                  {days} days
                </Link>
              ))}
            </nav>
          </div>
          <ul className="grid gap-4 sm:grid-cols-2">
            {accounts.map((account) => (
              <li
                key={account.id}
                data-testid="account-card"
                className="relative rounded-2xl border border-slate-200 bg-white p-5 shadow-sm hover:border-accent-600"
              >
                <p className="text-sm text-slate-600">
                  {account.type === "SAVINGS" ? "Savings" : "Checking"} · <span className="whitespace-nowrap">•••• {account.last4}</span>
                </p>
                <h3 className="mt-1 font-medium">
                  {/* The link covers the whole card (after:inset-0); the chart stays outside its name. */}
                  <Link
                    href={`/accounts/${account.id}`}
                    className="after:absolute after:inset-0 after:rounded-2xl focus:outline-none focus-visible:after:ring-2 focus-visible:after:ring-accent-600"
                  >
                    {account.name}
                  </Link>
                </h3>
                <p className="mt-3 text-3xl font-semibold tabular-nums" data-testid="account-balance">
                  {formatMoney(account.balance, account.currency)}
                </p>
                <div className="mt-4 h-[5.25rem]">
                  <Suspense fallback={<Skeleton className="h-full w-full" />}>
                    <AccountChart
                      histories={histories}
                      accountId={account.id}
                      days={range}
                      label={`${account.name} balance, last ${range} days`}
                    />
                  </Suspense>
                </div>
              </li>
            ))}
          </ul>
        </section>
      )}
      <section>
        <h2 className="mb-3 text-lg font-semibold">Recent activity</h2>
        {activity.length === 0 ? (
          <EmptyState
            action={
              <Link href="/transfers/new" className="font-medium text-accent-700 underline">
                Make your first transfer
              </Link>
            }
          >
            No transfers yet.
          </EmptyState>
        ) : (
          <ul
            className="divide-y divide-slate-200 overflow-hidden rounded-2xl border border-slate-200 bg-white"
            data-testid="activity-feed"
          >
            {activity.map((t) => (
              <li key={t.id}>
                <Link
                  href={`/transfers/${t.id}`}
                  className="flex items-center justify-between gap-4 px-5 py-3 text-sm hover:bg-slate-50"
                >
                  <span>
                    <span className="block font-medium">{t.memo ?? `To ${t.toName}`}</span>
                    <span className="text-slate-600">
                      {t.fromName} → {t.toName} · <When date={t.createdAt} style="date" />
                    </span>
                  </span>
                  <SignedAmount amount={t.amount} currency={t.currency} direction={t.direction} className="font-medium" />
                </Link>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section
        aria-labelledby="security-status"
        className="rounded-2xl border border-slate-200 bg-white p-5"
        data-testid="security-status"
      >
        <div className="flex flex-wrap items-baseline justify-between gap-2">
          <h2 id="security-status" className="text-lg font-semibold">
            Security
          </h2>
          <Link href="/settings/security" className="text-sm font-medium text-accent-700 underline">
            Security centre
          </Link>
        </div>
        {security.passkeys === 0 ? (
          <p
            className="mt-3 rounded-xl border border-amber-200 bg-amber-50 p-4 text-sm text-amber-900"
            data-testid="add-passkey-prompt"
          >
            <strong>Add a passkey.</strong> Large payments, new payees and payout changes are confirmed with a passkey,
            which can&apos;t be phished. Until you add one, they can&apos;t go ahead.{" "}
            <Link href="/settings/security" className="font-medium underline">
              Add a passkey
            </Link>
          </p>
        ) : (
          <p className="mt-3 text-sm text-slate-700" data-testid="passkey-summary">
            {security.passkeys === 1 ? "1 passkey confirms" : `${security.passkeys} passkeys confirm`} your sensitive
            actions
            {security.lastPasskeyUse ? `; last used ${when(security.lastPasskeyUse)}.` : "."}
          </p>
        )}
        {security.recentSignIns.length > 0 && (
          <>
            <h3 className="mt-4 text-sm font-medium text-slate-700">Recent sign-ins</h3>
            <ul className="mt-1 space-y-1 text-sm text-slate-600" data-testid="recent-sign-ins">
              {security.recentSignIns.map((s, i) => (
                <li key={`${s.at.getTime()}-${i}`}>
                  <span className={s.succeeded ? "text-slate-900" : "font-medium text-red-700"}>
                    {s.succeeded ? "Signed in" : "Failed attempt"}
                  </span>{" "}
                  with {s.method} · {s.device}
                  {s.ip ? ` · ${s.ip}` : ""} · {when(s.at)}
                </li>
              ))}
            </ul>
          </>
        )}
      </section>
    </div>
  );
}

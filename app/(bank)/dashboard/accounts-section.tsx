import Link from "next/link";
import { Suspense } from "react";
import { BalanceChart } from "@/app/_components/balance-chart";
import { EmptyState } from "@/app/_components/empty-state";
import { Skeleton } from "@/app/_components/skeleton";
import type { AccountSummary } from "@/lib/banking/accounts";
import { HISTORY_RANGES, type BalanceHistory } from "@/lib/banking/balance-history";
import { formatMoney } from "@/lib/money";

/** The customer's accounts, each with its balance and a chart that streams in after it. */
export function AccountsSection({
  accounts,
  range,
  histories,
}: {
  accounts: AccountSummary[];
  range: number;
  histories: Promise<BalanceHistory[]>;
}) {
  if (accounts.length === 0) return <EmptyState>You have no accounts yet.</EmptyState>;
  return (
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
              {account.type === "SAVINGS" ? "Savings" : "Checking"} ·{" "}
              <span className="whitespace-nowrap">•••• {account.last4}</span>
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
  );
}

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

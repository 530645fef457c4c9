import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { requireUser } from "@/lib/auth/session";
import { getMyAccount } from "@/lib/banking/accounts";
import { DomainError } from "@/lib/errors";
import { formatMoney } from "@/lib/money";
import { RevealNumber } from "./reveal-number";

export const metadata: Metadata = { title: "Account" };

export default async function AccountPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<{ page?: string; reveal?: string }> }) {
  await requireUser();
  const [{ id }, { page, reveal }] = await Promise.all([params, searchParams]);
  const data = await getMyAccount(id, page).catch((err: unknown) => {
    if (err instanceof DomainError && err.code === "not_found") notFound();
    throw err;
  });
  const { account, entries } = data;
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-end justify-between gap-4 rounded-2xl border border-slate-200 bg-white p-6 shadow-sm">
        <div className="space-y-2">
          <h1 className="text-2xl font-semibold tracking-tight">{account.name}</h1>
          <RevealNumber accountId={account.id} last4={account.last4} autoReveal={reveal === "1"} />
        </div>
        <div className="text-right">
          <p className="text-sm text-slate-600">Balance</p>
          <p className="text-3xl font-semibold tabular-nums" data-testid="account-balance">
            {formatMoney(account.balance, account.currency)}
          </p>
          <Link href={`/transfers/new?from=${account.id}`} className="mt-2 inline-block text-sm font-medium text-accent-700 underline">
            Move money from this account
          </Link>
        </div>
      </div>
      <section>
        <h2 className="mb-3 text-lg font-semibold">Transactions</h2>
        <div className="overflow-x-auto rounded-2xl border border-slate-200 bg-white">
          <table className="w-full text-sm" data-testid="ledger">
            <thead className="bg-slate-50 text-left text-slate-600">
              <tr>
                <th scope="col" className="px-4 py-2 font-medium">Date</th>
                <th scope="col" className="px-4 py-2 font-medium">Description</th>
                <th scope="col" className="px-4 py-2 text-right font-medium">Amount</th>
                <th scope="col" className="px-4 py-2 text-right font-medium">Balance</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {entries.map((e) => (
                <tr key={e.id}>
                  <td className="px-4 py-2 whitespace-nowrap text-slate-600">{e.createdAt.toLocaleDateString("en-US", { dateStyle: "medium", timeZone: "UTC" })}</td>
                  <td className="px-4 py-2">
                    <Link href={`/transfers/${e.transferId}`} className="hover:underline">
                      {e.memo ?? e.counterparty}
                    </Link>
                    <span className="block text-xs text-slate-500">{e.amount < 0n ? `To ${e.counterparty}` : `From ${e.counterparty}`}</span>
                  </td>
                  <td className={`px-4 py-2 text-right tabular-nums ${e.amount < 0n ? "" : "text-emerald-700"}`}>{formatMoney(e.amount, account.currency, { signDisplay: "always" })}</td>
                  <td className="px-4 py-2 text-right text-slate-600 tabular-nums">{formatMoney(e.balanceAfter, account.currency)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {(data.page > 1 || data.hasOlder) && (
          <nav aria-label="Pages" className="mt-3 flex items-center justify-between text-sm">
            {data.page > 1 ? <Link href={`?page=${data.page - 1}`} className="font-medium text-accent-700 underline">Newer</Link> : <span />}
            <span className="text-slate-600">Page {data.page}</span>
            {data.hasOlder ? <Link href={`?page=${data.page + 1}`} className="font-medium text-accent-700 underline">Older</Link> : <span />}
          </nav>
        )}
      </section>
    </div>
  );
}

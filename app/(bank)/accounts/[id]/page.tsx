import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { requireUser } from "@/lib/auth/current-user";
import { getMyAccount } from "@/lib/banking/accounts";
import { DomainError } from "@/lib/errors";
import { formatMoney } from "@/lib/money";
import { Table, Td } from "@/app/_components/table";
import { When } from "@/app/_components/when";
import { RevealNumber } from "./reveal-number";

export const metadata: Metadata = { title: "Account" };

export default async function AccountPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ page?: string; reveal?: string }>;
}) {
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
          <Link
            href={`/transfers/new?from=${account.id}`}
            className="mt-2 inline-block text-sm font-medium text-accent-700 underline"
          >
            Move money from this account
          </Link>
        </div>
      </div>
      <section>
        <h2 className="mb-3 text-lg font-semibold">Transactions</h2>
        <Table
          caption={`Transactions on ${account.name}, newest first, page ${data.page}`}
          testId="ledger"
          columns={[
            { label: "Date" },
            { label: "Description" },
            { label: "Amount", align: "right" },
            { label: "Balance", align: "right" },
          ]}
        >
          {entries.map((e) => (
            <tr key={e.id}>
              <Td className="whitespace-nowrap text-slate-600">
                <When date={e.createdAt} style="date" />
              </Td>
              <Td>
                <Link href={`/transfers/${e.transferId}`} className="hover:underline">
                  {e.memo ?? e.counterparty}
                </Link>
                <span className="block text-xs text-slate-500">
                  {e.amount < 0n ? `To ${e.counterparty}` : `From ${e.counterparty}`}
                </span>
              </Td>
              <Td align="right" className={`whitespace-nowrap ${e.amount < 0n ? "" : "text-emerald-700"}`}>
                {formatMoney(e.amount, account.currency, { signDisplay: "always" })}
              </Td>
              <Td align="right" className="text-slate-600">
                {formatMoney(e.balanceAfter, account.currency)}
              </Td>
            </tr>
          ))}
        </Table>
        {(data.page > 1 || data.hasOlder) && (
          <nav aria-label="Pages" className="mt-3 flex items-center justify-between text-sm">
            {data.page > 1 ? (
              <Link href={`?page=${data.page - 1}`} className="font-medium text-accent-700 underline">
                Newer
              </Link>
            ) : (
              <span />
            )}
            <span className="text-slate-600">Page {data.page}</span>
            {data.hasOlder ? (
              <Link href={`?page=${data.page + 1}`} className="font-medium text-accent-700 underline">
                Older
              </Link>
            ) : (
              <span />
            )}
          </nav>
        )}
      </section>
    </div>
  );
}

import type { Metadata } from "next";
import { requireUser } from "@/lib/auth/session";
import { listMyAccounts } from "@/lib/banking/accounts";
import { formatMoney } from "@/lib/money";

export const metadata: Metadata = { title: "Accounts" };

export default async function DashboardPage() {
  const user = await requireUser();
  const accounts = await listMyAccounts();
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Hello, {user.name}</h1>
        <p className="text-slate-600">Your accounts and balances.</p>
      </div>
      {accounts.length === 0 ? (
        <p className="rounded-xl border border-dashed border-slate-300 p-6 text-slate-600">You have no accounts yet.</p>
      ) : (
        <ul className="grid gap-4 sm:grid-cols-2" aria-label="Accounts">
          {accounts.map((account) => (
            <li key={account.id} className="rounded-2xl border border-slate-200 bg-white p-5 shadow-sm" data-testid="account-card">
              <p className="text-sm text-slate-600">
                {account.type === "SAVINGS" ? "Savings" : "Checking"} · •••• {account.last4}
              </p>
              <h2 className="mt-1 font-medium">{account.name}</h2>
              <p className="mt-3 text-3xl font-semibold tabular-nums" data-testid="account-balance">
                {formatMoney(account.balance, account.currency)}
              </p>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

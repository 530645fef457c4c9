import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { requireUser } from "@/lib/auth/session";
import { getMyTransfer } from "@/lib/banking/transfers";
import { DomainError } from "@/lib/errors";
import { formatMoney } from "@/lib/money";

export const metadata: Metadata = { title: "Transfer" };

const loadTransfer = (id: string) =>
  getMyTransfer(id).catch((err: unknown) => {
    if (err instanceof DomainError && err.code === "not_found") notFound();
    throw err;
  });

export default async function TransferPage({ params }: { params: Promise<{ id: string }> }) {
  await requireUser();
  const t = await loadTransfer((await params).id);
  const rows: [string, string][] = [
    ["Amount", formatMoney(t.amount, t.currency)],
    ["From", `${t.from.name} (•••• ${t.from.last4})`],
    ["To", t.to.kind === "payee" ? `${t.to.name} (${t.to.masked})` : `${t.to.name} (•••• ${t.to.last4})`],
    ["Memo", t.memo ?? "—"],
    ["Date", t.createdAt.toLocaleString("en-US", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" }) + " UTC"],
    ["Reference", t.reference],
  ];
  return (
    <div className="max-w-xl space-y-6">
      <div className="rounded-2xl border border-emerald-200 bg-emerald-50 p-5">
        <p className="text-sm font-medium text-emerald-800">Transfer complete</p>
        <h1 className="mt-1 text-3xl font-semibold tabular-nums" data-testid="transfer-amount">
          {formatMoney(t.amount, t.currency)}
        </h1>
      </div>
      <dl className="divide-y divide-slate-200 rounded-2xl border border-slate-200 bg-white" data-testid="transfer-detail">
        {rows.map(([label, value]) => (
          <div key={label} className="flex justify-between gap-4 px-5 py-3 text-sm">
            <dt className="text-slate-600">{label}</dt>
            <dd className="text-right font-medium">{value}</dd>
          </div>
        ))}
      </dl>
      <div className="flex gap-3 text-sm font-medium">
        <Link href="/transfers/new" className="rounded-lg bg-accent-600 px-4 py-2 text-white hover:bg-accent-700">
          New transfer
        </Link>
        <Link href="/dashboard" className="rounded-lg border border-slate-300 px-4 py-2 hover:bg-slate-100">
          Back to accounts
        </Link>
      </div>
    </div>
  );
}

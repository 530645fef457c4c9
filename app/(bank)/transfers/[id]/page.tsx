import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { buttonClass } from "@/app/_components/button";
import { getTimeZone, When } from "@/app/_components/when";
import { requireUser } from "@/lib/auth/current-user";
import { getMyReceipt } from "@/lib/banking/activity";
import { DomainError } from "@/lib/errors";
import { formatMoney } from "@/lib/money";
import { formatWhen } from "@/lib/time-zone";
import { ReceiptActions } from "./receipt-actions";

export const metadata: Metadata = { title: "Receipt" };

/** How the payment was confirmed (Transfer.sca), in the customer's words. */
const CONFIRMED: Record<string, string> = {
  STEP_UP_SPC: "Confirmed in your browser's payment dialog",
  STEP_UP: "Confirmed with your passkey",
};

const loadReceipt = (id: string) =>
  getMyReceipt(id).catch((err: unknown) => {
    if (err instanceof DomainError && err.code === "not_found") notFound();
    throw err;
  });

/** The receipt, and the success screen a payment lands on: what went where, the balance after, the reference. */
export default async function TransferPage({ params }: { params: Promise<{ id: string }> }) {
  await requireUser();
  const [t, zone] = await Promise.all([loadReceipt((await params).id), getTimeZone()]);
  const amount = formatMoney(t.amount, t.currency);
  const verb = t.direction === "between" ? "moved" : "sent";
  const toLabel = t.to.kind === "payee" ? `${t.to.name} (${t.to.masked})` : `${t.to.name} (•••• ${t.to.last4})`;
  const rows: [string, React.ReactNode][] = [
    ["Amount", amount],
    ["From", `${t.from.name} (•••• ${t.from.last4})`],
    ["To", toLabel],
    ["Memo", t.memo ?? "—"],
    ["Date", <When key="date" date={t.createdAt} />],
    ...(Object.hasOwn(CONFIRMED, t.sca)
      ? ([
          [
            "Confirmed",
            <span key="sca" data-testid="receipt-confirmed">
              {CONFIRMED[t.sca]}
            </span>,
          ],
        ] as [string, React.ReactNode][])
      : []),
    [
      "Reference",
      <span key="ref" className="font-mono">
        {t.reference}
      </span>,
    ],
  ];
  const summary = [
    `You ${verb} ${amount} to ${t.to.name}.`,
    `From: ${t.from.name} (•••• ${t.from.last4})`,
    `To: ${toLabel}`,
    ...(t.memo ? [`Memo: ${t.memo}`] : []),
    `Date: ${formatWhen(t.createdAt, zone)}`,
    `Reference: ${t.reference}`,
  ].join("\n");
  return (
    <div className="max-w-xl space-y-6">
      <div data-print-area className="space-y-6">
        <div
          className="rounded-2xl border border-emerald-200 bg-emerald-50 p-5 text-center"
          data-testid="receipt-success"
        >
          <svg
            aria-hidden="true"
            viewBox="0 0 24 24"
            className="mx-auto size-12 text-emerald-700"
            fill="none"
            stroke="currentColor"
            strokeWidth="2.5"
            strokeLinecap="round"
            strokeLinejoin="round"
          >
            <circle cx="12" cy="12" r="10" />
            <path d="m7.5 12.5 3 3 6-6.5" />
          </svg>
          <h1 className="mt-2 text-2xl font-semibold text-emerald-950">
            You {verb}{" "}
            <span className="whitespace-nowrap tabular-nums" data-testid="transfer-amount">
              {amount}
            </span>{" "}
            to {t.to.name}
          </h1>
          {t.balanceAfter !== null && (
            <p className="mt-1 text-sm text-emerald-900" data-testid="receipt-balance">
              {t.from.name} balance after it:{" "}
              <span className="font-medium whitespace-nowrap tabular-nums">
                {formatMoney(t.balanceAfter, t.currency)}
              </span>
            </p>
          )}
          <p className="mt-1 text-sm text-emerald-900">
            Reference <span className="font-mono font-medium">{t.reference}</span>
          </p>
        </div>
        <dl
          className="divide-y divide-slate-200 rounded-2xl border border-slate-200 bg-white"
          data-testid="transfer-detail"
        >
          {rows.map(([label, value]) => (
            <div key={label} className="flex justify-between gap-4 px-5 py-3 text-sm">
              <dt className="shrink-0 text-slate-600">{label}</dt>
              <dd className="min-w-0 text-right font-medium">{value}</dd>
            </div>
          ))}
        </dl>
      </div>
      <ReceiptActions summary={summary} />
      <div className="flex flex-wrap gap-3 text-sm font-medium print:hidden">
        <Link href="/transfers/new" className={buttonClass("primary", "md")}>
          New transfer
        </Link>
        <Link href="/dashboard" className={buttonClass("secondary", "md")}>
          Back to accounts
        </Link>
      </div>
    </div>
  );
}

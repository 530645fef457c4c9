import type { Metadata } from "next";
import { randomUUID } from "node:crypto";
import { PageHeader } from "@/app/_components/page-header";
import { requireUser } from "@/lib/auth/current-user";
import { listMyAccounts } from "@/lib/banking/accounts";
import { listMyPayees } from "@/lib/banking/payees";
import { getMyDailyLimit } from "@/lib/banking/limits";
import Link from "next/link";
import { formatMoney } from "@/lib/money";
import { TransferForm } from "./transfer-form";
import { RequiresPasskey } from "@/app/_components/badge";
import { LOW_VALUE_DAILY_BUDGET_MINOR, LOW_VALUE_MAX_MINOR } from "@/lib/assurance/policy";

export const metadata: Metadata = { title: "Move money" };

export default async function NewTransferPage({
  searchParams,
}: {
  searchParams: Promise<{ from?: string; to?: string; amount?: string; memo?: string }>;
}) {
  await requireUser();
  const [{ from, to, amount, memo }, accounts, payees, limit] = await Promise.all([
    searchParams,
    listMyAccounts(),
    listMyPayees(),
    getMyDailyLimit(),
  ]);
  // "Pay" on a payee links here with ?to=payee:<id>: preselected only if it is one of this customer's.
  const choices = new Set([...accounts.map((a) => `account:${a.id}`), ...payees.map((p) => `payee:${p.id}`)]);
  const defaultTo = typeof to === "string" && choices.has(to) ? to : undefined;
  return (
    <div className="max-w-xl">
      <PageHeader title="Move money" description="Between your accounts, or to someone you pay." />
      <TransferForm
        // One key per render of this form: a double click or a retried submit moves money once.
        idempotencyKey={randomUUID().replaceAll("-", "")}
        defaultFrom={typeof from === "string" ? from : undefined}
        defaultTo={defaultTo}
        // Only shown again in the form (bounded), never acted on: submitting checks everything anew.
        defaultAmount={typeof amount === "string" ? amount.slice(0, 32) : undefined}
        defaultMemo={typeof memo === "string" ? memo.slice(0, 140) : undefined}
        accounts={accounts.map((a) => ({
          id: a.id,
          label: `${a.name} (•••• ${a.last4}) · ${formatMoney(a.balance, a.currency)}`,
        }))}
        payees={payees.map((p) => ({ id: p.id, label: `${p.name} (${p.masked})${p.isNew ? " · new" : ""}` }))}
      />
      <p className="mt-4 text-sm text-slate-600" data-testid="transfer-passkey-hint">
        <RequiresPasskey className="mr-1.5" />
        <span>
          for a payment to a new payee, of {formatMoney(LOW_VALUE_MAX_MINOR, "USD")} or more, or past{" "}
          {formatMoney(LOW_VALUE_DAILY_BUDGET_MINOR, "USD")} of small payments in a day. Moving money between your own
          accounts never does.
        </span>
      </p>
      <p className="mt-2 text-sm text-slate-600" data-testid="transfer-limit">
        Payments to payees: up to {formatMoney(limit.limitMinor, limit.currency)} a day.{" "}
        <Link href="/settings/limits" className="font-medium text-accent-700 underline">
          Change your daily limit
        </Link>
      </p>
    </div>
  );
}

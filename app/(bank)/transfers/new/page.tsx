import type { Metadata } from "next";
import { randomUUID } from "node:crypto";
import { PageHeader } from "@/app/_components/page-header";
import { requireUser } from "@/lib/auth/session";
import { listMyAccounts } from "@/lib/banking/accounts";
import { listMyPayees } from "@/lib/banking/payees";
import { formatMoney } from "@/lib/money";
import { TransferForm } from "./transfer-form";

export const metadata: Metadata = { title: "Move money" };

export default async function NewTransferPage({ searchParams }: { searchParams: Promise<{ from?: string }> }) {
  await requireUser();
  const [{ from }, accounts, payees] = await Promise.all([searchParams, listMyAccounts(), listMyPayees()]);
  return (
    <div className="max-w-xl">
      <PageHeader title="Move money" description="Between your accounts, or to someone you pay." />
      <TransferForm
        // One key per render of this form: a double click or a retried submit moves money once.
        idempotencyKey={randomUUID().replaceAll("-", "")}
        defaultFrom={typeof from === "string" ? from : undefined}
        accounts={accounts.map((a) => ({ id: a.id, label: `${a.name} (•••• ${a.last4}) · ${formatMoney(a.balance, a.currency)}` }))}
        payees={payees.map((p) => ({ id: p.id, label: `${p.name} (${p.masked})${p.isNew ? " · new" : ""}` }))}
      />
    </div>
  );
}

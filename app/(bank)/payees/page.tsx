import type { Metadata } from "next";
import Link from "next/link";
import { buttonClass } from "@/app/_components/button";
import { PageHeader } from "@/app/_components/page-header";
import { requireUser } from "@/lib/auth/current-user";
import { listMyPayees } from "@/lib/banking/payees";
import { AddPayeeForm, RemovePayeeButton } from "./payee-forms";
import { BRAND } from "@/lib/brand";
import { Badge } from "@/app/_components/badge";
import { EmptyState } from "@/app/_components/empty-state";

export const metadata: Metadata = { title: "Payees" };

export default async function PayeesPage() {
  await requireUser();
  const payees = await listMyPayees();
  return (
    <div className="grid gap-8 lg:grid-cols-2">
      <section>
        <PageHeader title="Payees" description="People and companies you pay." />
        {payees.length === 0 ? (
          <EmptyState>No payees yet. Add one to send money outside {BRAND.name}.</EmptyState>
        ) : (
          <ul className="divide-y divide-slate-200 rounded-2xl border border-slate-200 bg-white" aria-label="Payees">
            {payees.map((p) => (
              <li key={p.id} className="flex items-center justify-between gap-4 px-5 py-3" data-testid="payee-row">
                <div className="min-w-0">
                  <p className="font-medium">
                    {p.name}{" "}
                    {p.isNew && (
                      <Badge tone="warning" className="ml-1">
                        New
                      </Badge>
                    )}
                  </p>
                  <p className="text-sm text-slate-600">{p.masked}</p>
                </div>
                <div className="flex shrink-0 items-center gap-2">
                  <Link
                    href={`/transfers/new?to=payee:${encodeURIComponent(p.id)}`}
                    aria-label={`Pay ${p.name}`}
                    className={buttonClass("primary", "sm")}
                  >
                    Pay
                  </Link>
                  <RemovePayeeButton payeeId={p.id} name={p.name} />
                </div>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section>
        <h2 className="mb-4 text-lg font-semibold">Add a payee</h2>
        <AddPayeeForm />
      </section>
    </div>
  );
}

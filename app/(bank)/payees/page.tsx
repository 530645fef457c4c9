import type { Metadata } from "next";
import { PageHeader } from "@/app/_components/page-header";
import { requireUser } from "@/lib/auth/session";
import { listMyPayees } from "@/lib/banking/payees";
import { AddPayeeForm, RemovePayeeButton } from "./payee-forms";
import { BRAND } from "@/lib/brand";

export const metadata: Metadata = { title: "Payees" };

export default async function PayeesPage() {
  await requireUser();
  const payees = await listMyPayees();
  return (
    <div className="grid gap-8 lg:grid-cols-2">
      <section>
        <PageHeader title="Payees" description="People and companies you pay." />
        {payees.length === 0 ? (
          <p className="rounded-xl border border-dashed border-slate-300 p-6 text-slate-600">No payees yet. Add one to send money outside {BRAND.name}.</p>
        ) : (
          <ul className="divide-y divide-slate-200 rounded-2xl border border-slate-200 bg-white" aria-label="Payees">
            {payees.map((p) => (
              <li key={p.id} className="flex items-center justify-between gap-4 px-5 py-3" data-testid="payee-row">
                <div>
                  <p className="font-medium">
                    {p.name}{" "}
                    {p.isNew && <span className="ml-1 rounded-full bg-amber-100 px-2 py-0.5 text-xs font-medium text-amber-800">New</span>}
                  </p>
                  <p className="text-sm text-slate-600">{p.masked}</p>
                </div>
                <RemovePayeeButton payeeId={p.id} name={p.name} />
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

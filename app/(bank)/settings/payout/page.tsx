import type { Metadata } from "next";
import { PageHeader } from "@/app/_components/page-header";
import { requireUser } from "@/lib/auth/current-user";
import { getMyPayoutDestination } from "@/lib/banking/payout";
import { PayoutForm } from "./payout-form";

export const metadata: Metadata = { title: "Payout destination" };

export default async function PayoutPage() {
  await requireUser();
  const current = await getMyPayoutDestination();
  return (
    <div className="max-w-xl space-y-6">
      <PageHeader title="Payout destination" description="Where withdrawals and payouts to you are sent." />
      <div className="rounded-2xl border border-slate-200 bg-white p-5" data-testid="payout-current">
        {current ? (
          <>
            <p className="text-sm text-slate-600">Currently paying out to</p>
            <p className="mt-1 font-medium">
              {current.holderName} · {current.masked}
            </p>
          </>
        ) : (
          <p className="text-slate-600">No payout destination yet.</p>
        )}
      </div>
      <h2 className="text-lg font-semibold">{current ? "Change it" : "Set it"}</h2>
      <PayoutForm />
    </div>
  );
}

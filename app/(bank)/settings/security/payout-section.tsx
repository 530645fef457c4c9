import Link from "next/link";
import { RequiresPasskey } from "@/app/_components/badge";
import { buttonClass } from "@/app/_components/button";
import { Card } from "@/app/_components/card";
import type { PayoutSummary } from "@/lib/banking/payout";

/** Where payouts go, masked, with the way to change it (under a passkey). */
export function PayoutSection({ payout }: { payout: PayoutSummary }) {
  return (
    <section className="space-y-3" aria-labelledby="payout-heading">
      <h2 id="payout-heading" className="text-lg font-semibold">
        Payout destination
      </h2>
      <Card className="flex flex-wrap items-center justify-between gap-3" data-testid="security-payout">
        <p className="text-sm">
          {payout ? (
            <>
              <span className="block text-slate-600">Payouts go to</span>
              <span className="font-medium">
                {payout.holderName} · {payout.masked}
              </span>
            </>
          ) : (
            <span className="text-slate-600">No payout destination yet.</span>
          )}
        </p>
        <span className="flex items-center gap-2">
          <RequiresPasskey />
          <Link href="/settings/payout" className={buttonClass("secondary", "sm")}>
            {payout ? "Change" : "Set it"}
          </Link>
        </span>
      </Card>
    </section>
  );
}

import type { Metadata } from "next";
import { PageHeader } from "@/app/_components/page-header";
import { getMyDailyLimit } from "@/lib/banking/limits";
import { formatMoney, toDecimalString } from "@/lib/money";
import { LimitForm } from "./limit-form";

export const metadata: Metadata = { title: "Daily payment limit" };

export default async function LimitsPage() {
  const { limitMinor, usedMinor, currency } = await getMyDailyLimit();
  const left = limitMinor > usedMinor ? limitMinor - usedMinor : 0n;
  return (
    <div className="max-w-xl space-y-6">
      <PageHeader
        title="Daily payment limit"
        description="The most you can send to payees in any 24 hours. Moving money between your own accounts doesn't count."
      />
      <div className="rounded-2xl border border-slate-200 bg-white p-5" data-testid="limit-current">
        <p className="text-sm text-slate-600">Your limit</p>
        <p className="mt-1 text-xl font-semibold">{formatMoney(limitMinor, currency)}</p>
        <p className="mt-1 text-sm text-slate-600">
          {formatMoney(left, currency)} left in the last 24 hours ({formatMoney(usedMinor, currency)} sent).
        </p>
      </div>
      <LimitForm current={toDecimalString(limitMinor, currency)} />
    </div>
  );
}

import Link from "next/link";
import { SignedAmount } from "@/app/_components/amount";
import { EmptyState } from "@/app/_components/empty-state";
import { When } from "@/app/_components/when";
import type { listMyRecentActivity } from "@/lib/banking/activity";

/** The latest payments and moves, newest first, each amount signed by its direction. */
export function RecentActivity({ activity }: { activity: Awaited<ReturnType<typeof listMyRecentActivity>> }) {
  return (
    <section>
      <h2 className="mb-3 text-lg font-semibold">Recent activity</h2>
      {activity.length === 0 ? (
        <EmptyState
          action={
            <Link href="/transfers/new" className="font-medium text-accent-700 underline">
              Make your first transfer
            </Link>
          }
        >
          No transfers yet.
        </EmptyState>
      ) : (
        <ul
          className="divide-y divide-slate-200 overflow-hidden rounded-2xl border border-slate-200 bg-white"
          data-testid="activity-feed"
        >
          {activity.map((t) => (
            <li key={t.id}>
              <Link
                href={`/transfers/${t.id}`}
                className="flex items-center justify-between gap-4 px-5 py-3 text-sm hover:bg-slate-50"
              >
                <span>
                  <span className="block font-medium">{t.memo ?? `To ${t.toName}`}</span>
                  <span className="text-slate-600">
                    {t.fromName} → {t.toName} · <When date={t.createdAt} style="date" />
                  </span>
                </span>
                <SignedAmount amount={t.amount} currency={t.currency} direction={t.direction} className="font-medium" />
              </Link>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

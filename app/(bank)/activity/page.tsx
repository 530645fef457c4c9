import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/app/_components/page-header";
import { AUDIT_CATEGORIES, listMyAuditEvents } from "@/lib/audit/list";
import { requireUser } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Activity log" };

const LABELS: Record<string, string> = {
  "auth.sign_up": "Account opened",
  "auth.sign_in": "Sign-in",
  "auth.sign_out": "Signed out",
  "transfer.create": "Transfer",
  "payee.add": "Payee added",
  "payee.remove": "Payee removed",
  "payout.change": "Payout destination changed",
  "account.reveal": "Account number revealed",
  "auth.reauth": "Password confirmed",
  "auth.password_change": "Password changed",
  "auth.reauth_locked": "Password confirmation paused",
  "auth.session_revoke": "Session ended",
  "auth.session_refused": "Ended session used again (refused)",
  "auth.sign_in_locked": "Sign-in paused",
  "recovery.codes_issued": "Recovery codes made",
  "recovery.code_used": "Recovery code used",
  "recovery.hold_started": "Recovery cooling-off started",
  "security.cross_origin_action": "Request from another site refused",
  "passkey.add": "Passkey added",
  "passkey.rename": "Passkey renamed",
  "passkey.remove": "Passkey removed",
  "assurance.decision": "Security check",
  "step_up.verify": "Passkey confirmation",
  "step_up.cancel": "Confirmation cancelled",
  "step_up.expired": "Confirmation expired",
  "step_up.locked": "Passkey confirmation paused",
};

/** The parts of an event's metadata worth a line: the policy it was checked against, the passkey used. */
const detailOf = (m: Record<string, unknown>) =>
  [m.policy, m.passkey, m.nickname, m.method].filter((v): v is string => typeof v === "string").join(" · ") || null;

export default async function ActivityPage({ searchParams }: { searchParams: Promise<{ category?: string }> }) {
  await requireUser();
  const { category } = await searchParams;
  const events = await listMyAuditEvents(category);
  return (
    <div>
      <PageHeader title="Activity log" description="Everything that happened on your account, newest first." />
      <nav aria-label="Filter" className="mb-4 flex flex-wrap gap-2 text-sm">
        {[undefined, ...AUDIT_CATEGORIES].map((c) => (
          <Link
            key={c ?? "all"}
            href={c ? `/activity?category=${c}` : "/activity"}
            aria-current={category === c || (!category && !c) ? "page" : undefined}
            className="rounded-full border border-slate-300 px-3 py-1 capitalize aria-[current=page]:border-accent-600 aria-[current=page]:bg-accent-50 aria-[current=page]:text-accent-800"
          >
            {c ?? "all"}
          </Link>
        ))}
      </nav>
      <ul className="divide-y divide-slate-200 rounded-2xl border border-slate-200 bg-white" data-testid="audit-log">
        {events.length === 0 && <li className="px-5 py-4 text-slate-600">Nothing here yet.</li>}
        {events.map((e) => (
          <li key={e.id} className="flex flex-wrap justify-between gap-2 px-5 py-3 text-sm">
            <div>
              <p className="font-medium">
                {LABELS[e.action] ?? e.action}{" "}
                <span className={e.outcome === "SUCCESS" ? "text-emerald-700" : "text-red-700"}>{e.outcome === "SUCCESS" ? "" : `· ${e.outcome.toLowerCase().replaceAll("_", " ")}`}</span>
              </p>
              <p className="text-slate-600">
                {[detailOf(e.metadata), e.reason, typeof e.metadata.reference === "string" ? e.metadata.reference : null, e.ip, e.userAgent?.slice(0, 60)].filter(Boolean).join(" · ")}
              </p>
            </div>
            <time className="text-slate-500" dateTime={e.createdAt.toISOString()}>
              {e.createdAt.toLocaleString("en-US", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" })} UTC
            </time>
          </li>
        ))}
      </ul>
    </div>
  );
}

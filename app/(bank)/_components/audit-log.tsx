import Link from "next/link";
import { EmptyState } from "@/app/_components/empty-state";
import { When } from "@/app/_components/when";
import { AUDIT_LABELS } from "@/lib/audit/actions";
import { deviceOf } from "@/lib/audit/device";
import {
  AUDIT_CATEGORIES,
  AUDIT_OUTCOMES,
  listMyAuditEvents,
  type AuditFilters,
  type AuditView,
} from "@/lib/audit/list";
import { auditSentence } from "@/lib/audit/sentence";
import { OPERATIONS } from "@/lib/operations";

/** Every audit action's label: the operations' own (lib/operations.ts) and the rest (lib/audit/actions.ts). */
const LABELS: Record<string, string> = {
  ...AUDIT_LABELS,
  ...Object.fromEntries(Object.values(OPERATIONS).map((op) => [op.audit.action, op.audit.label])),
};

/** The codes behind a sentence, for "Details": the policy, the outcome and reason, the reference, the address. */
const detailsOf = (e: AuditView) =>
  [
    ["Event", e.action],
    ["Outcome", e.outcome.toLowerCase().replaceAll("_", " ")],
    ["Reason", e.reason],
    ["Policy", typeof e.metadata.policy === "string" ? e.metadata.policy : null],
    ["Reference", typeof e.metadata.reference === "string" ? e.metadata.reference : null],
    ["Address", e.ip],
  ].filter((row): row is [string, string] => typeof row[1] === "string" && row[1].length > 0);

/** "You added ACME Ltd (IBAN ••• 5432) from Chrome on Linux", or the event's label when there is no sentence for it. */
function sentenceOf(e: AuditView): string {
  const sentence = auditSentence(e) ?? LABELS[e.action] ?? e.action;
  const device = deviceOf(e.userAgent);
  return `${sentence}${device ? ` from ${device}` : ""}.`;
}

/** The query string for a set of filters; the page's own default category is left out of it. */
function hrefOf(basePath: string, filters: AuditFilters, defaultCategory: AuditFilters["category"]) {
  const query = new URLSearchParams();
  if (filters.category !== defaultCategory) query.set("category", filters.category ?? "all");
  if (filters.outcome !== "all") query.set("outcome", filters.outcome);
  const qs = query.toString();
  return qs ? `${basePath}?${qs}#log` : `${basePath}#log`;
}

const chip =
  "rounded-full border border-slate-300 px-3 py-1 aria-[current=page]:border-accent-600 aria-[current=page]:bg-accent-50 aria-[current=page]:text-accent-800";

/**
 * The customer's own audit log, newest first, with filters by kind and by outcome. Filters are
 * links (GET, bookmarkable, no script); the activity page and the security centre both show it.
 */
export async function AuditLog({
  filters,
  basePath,
  defaultCategory = null,
  take,
}: {
  filters: AuditFilters;
  basePath: string;
  defaultCategory?: AuditFilters["category"];
  take?: number;
}) {
  const events = await listMyAuditEvents(filters, take);
  return (
    <div id="log" className="space-y-3">
      <nav aria-label="Filter by kind" className="flex flex-wrap gap-2 text-sm">
        {[null, ...AUDIT_CATEGORIES].map((c) => (
          <Link
            key={c ? c.charAt(0).toUpperCase() + c.slice(1) : "All"}
            href={hrefOf(basePath, { ...filters, category: c }, defaultCategory)}
            aria-current={filters.category === c ? "page" : undefined}
            className={chip}
          >
            {c ? c.charAt(0).toUpperCase() + c.slice(1) : "All"}
          </Link>
        ))}
      </nav>
      <nav aria-label="Filter by outcome" className="flex flex-wrap gap-2 text-sm">
        {AUDIT_OUTCOMES.map((o) => (
          <Link
            key={o}
            href={hrefOf(basePath, { ...filters, outcome: o }, defaultCategory)}
            aria-current={filters.outcome === o ? "page" : undefined}
            className={chip}
          >
            {o === "all" ? "Any outcome" : "Failed or refused"}
          </Link>
        ))}
      </nav>
      {events.length === 0 ? (
        <EmptyState testId="audit-log-empty">Nothing matches these filters yet.</EmptyState>
      ) : (
        <ul className="divide-y divide-slate-200 rounded-2xl border border-slate-200 bg-white" data-testid="audit-log">
          {events.map((e) => (
            <li
              key={e.id}
              className="flex flex-wrap justify-between gap-x-4 gap-y-1 px-5 py-3 text-sm"
              data-testid="audit-event"
            >
              <div className="min-w-0 flex-1 basis-64">
                <p className={e.outcome === "FAILURE" || e.outcome === "DENIED" ? "font-medium text-red-800" : ""}>
                  {sentenceOf(e)}
                </p>
                <details className="mt-0.5 text-slate-600">
                  <summary className="cursor-pointer text-xs">Details</summary>
                  <dl className="mt-1 grid grid-cols-[auto_1fr] gap-x-3 text-xs">
                    {detailsOf(e).map(([label, value]) => (
                      <div key={label} className="contents">
                        <dt>{label}</dt>
                        <dd className="font-mono break-all">{value}</dd>
                      </div>
                    ))}
                  </dl>
                </details>
              </div>
              <When date={e.createdAt} className="whitespace-nowrap text-slate-500" />
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

import Link from "next/link";
import { EmptyState } from "@/app/_components/empty-state";
import { AUDIT_LABELS } from "@/lib/audit/actions";
import { OPERATIONS } from "@/lib/operations";
import { AUDIT_CATEGORIES, AUDIT_OUTCOMES, listMyAuditEvents, type AuditFilters } from "@/lib/audit/list";

/** Every audit action's label: the operations' own (lib/operations.ts) and the rest (lib/audit/actions.ts). */
const LABELS: Record<string, string> = {
  ...AUDIT_LABELS,
  ...Object.fromEntries(Object.values(OPERATIONS).map((op) => [op.audit.action, op.audit.label])),
};

/** The parts of an event's metadata worth a line: the policy it was checked against, the passkey used. */
const detailOf = (m: Record<string, unknown>) =>
  [m.policy, m.passkey, m.nickname, m.method, m.name, m.scopes].filter((v): v is string => typeof v === "string").join(" · ") || null;

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
            <li key={e.id} className="flex flex-wrap justify-between gap-2 px-5 py-3 text-sm">
              <div>
                <p className="font-medium">
                  {LABELS[e.action] ?? e.action}{" "}
                  <span className={e.outcome === "SUCCESS" ? "text-emerald-700" : "text-red-700"}>
                    {e.outcome === "SUCCESS" ? "" : `· ${e.outcome.toLowerCase().replaceAll("_", " ")}`}
                  </span>
                </p>
                <p className="text-slate-600">
                  {[
                    detailOf(e.metadata),
                    e.reason,
                    typeof e.metadata.reference === "string" ? e.metadata.reference : null,
                    e.ip,
                    e.userAgent?.slice(0, 60),
                  ]
                    .filter(Boolean)
                    .join(" · ")}
                </p>
              </div>
              <time className="text-slate-500" dateTime={e.createdAt.toISOString()}>
                {e.createdAt.toLocaleString("en-US", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" })} UTC
              </time>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

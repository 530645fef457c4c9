import "server-only";
import { requireUser } from "@/lib/auth/session";
import { db } from "@/lib/db";

export type AuditView = {
  id: string;
  action: string;
  outcome: string;
  reason: string | null;
  ip: string | null;
  userAgent: string | null;
  metadata: Record<string, unknown>;
  createdAt: Date;
};

/** Filters of the log, each a set of action prefixes. "security" is the security log: passkeys, step-up, guard decisions. */
const CATEGORY_PREFIXES = {
  auth: ["auth."],
  security: ["passkey.", "step_up.", "assurance.", "auth.reauth", "auth.password_change", "auth.session_revoke", "auth.session_refused", "auth.sign_in_locked", "recovery.", "api_client."],
  transfer: ["transfer."],
  payee: ["payee."],
  payout: ["payout."],
  account: ["account."],
} as const;
export type AuditCategory = keyof typeof CATEGORY_PREFIXES;
export const AUDIT_CATEGORIES = Object.keys(CATEGORY_PREFIXES) as AuditCategory[];

/**
 * Which outcomes to show: all, or only what went wrong: failures (a wrong password, a rejected
 * assertion) and refusals (a lockout, a cross-site request). A step-up asked for, or an exemption
 * applied, is the guard working as designed, so it isn't listed as failed.
 */
export const AUDIT_OUTCOMES = ["all", "failed"] as const;
export type AuditOutcomeFilter = (typeof AUDIT_OUTCOMES)[number];

export type AuditFilters = { category: AuditCategory | null; outcome: AuditOutcomeFilter };

/** Filters from a URL's query: anything unknown means "no filter", never an error. */
export function parseAuditFilters(query: { category?: unknown; outcome?: unknown }, fallbackCategory: AuditCategory | null = null): AuditFilters {
  const category =
    query.category === "all" ? null : typeof query.category === "string" && Object.hasOwn(CATEGORY_PREFIXES, query.category) ? (query.category as AuditCategory) : fallbackCategory;
  return { category, outcome: query.outcome === "failed" ? "failed" : "all" };
}

/** The signed-in user's own security and activity log, newest first, filtered. */
export async function listMyAuditEvents(filters: AuditFilters, take = 100): Promise<AuditView[]> {
  const user = await requireUser();
  const prefixes = filters.category ? CATEGORY_PREFIXES[filters.category] : null;
  const rows = await db.auditEvent.findMany({
    where: {
      userId: user.id,
      ...(prefixes ? { OR: prefixes.map((p) => ({ action: { startsWith: p } })) } : {}),
      ...(filters.outcome === "failed" ? { outcome: { in: ["FAILURE", "DENIED"] } } : {}),
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: Math.min(Math.max(take, 1), 500),
  });
  return rows.map((r) => {
    let metadata: Record<string, unknown> = {};
    try {
      metadata = JSON.parse(r.metadata) as Record<string, unknown>;
    } catch {
      // a malformed row still shows, without its details
    }
    return { ...r, metadata };
  });
}

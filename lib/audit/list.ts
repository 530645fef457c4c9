import "server-only";
import { requireUser } from "@/lib/auth/current-user";
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
  /** The name behind the event's ids, for its sentence: the payee, the account, the transfer's recipient. */
  subject: string | null;
};

/** Filters of the log, each a set of action prefixes. "security" is the security log: passkeys, step-up, guard decisions. */
const CATEGORY_PREFIXES = {
  auth: ["auth."],
  security: [
    "passkey.",
    "step_up.",
    "assurance.",
    "auth.reauth",
    "auth.password_change",
    "auth.session_revoke",
    "auth.session_refused",
    "auth.sign_in_locked",
    "recovery.",
    "api_client.",
    "device.",
  ],
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
export function parseAuditFilters(
  query: { category?: unknown; outcome?: unknown },
  fallbackCategory: AuditCategory | null = null,
): AuditFilters {
  const category =
    query.category === "all"
      ? null
      : typeof query.category === "string" && Object.hasOwn(CATEGORY_PREFIXES, query.category)
        ? (query.category as AuditCategory)
        : fallbackCategory;
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
  const events = rows.map((r) => {
    let metadata: Record<string, unknown> = {};
    try {
      metadata = JSON.parse(r.metadata) as Record<string, unknown>;
    } catch {
      // a malformed row still shows, without its details
    }
    return { ...r, metadata };
  });
  const subjects = await subjectsOf(user.id, events);
  return events.map((e) => ({ ...e, subject: subjects(e) }));
}

const idsIn = (events: { action: string; metadata: Record<string, unknown> }[], action: string, key: string) => [
  ...new Set(
    events
      .filter((e) => e.action === action && typeof e.metadata[key] === "string")
      .map((e) => e.metadata[key] as string),
  ),
];

/**
 * The names the sentences need, in three queries, each limited to this user's own rows (removed
 * payees included: a soft delete keeps the name).
 */
async function subjectsOf(userId: string, events: { action: string; metadata: Record<string, unknown> }[]) {
  const payeeIds = [...idsIn(events, "payee.add", "payeeId"), ...idsIn(events, "payee.remove", "payeeId")];
  const accountIds = idsIn(events, "account.reveal", "accountId");
  const references = idsIn(events, "transfer.create", "reference");
  const [payees, accounts, transfers] = await Promise.all([
    payeeIds.length
      ? db.payee.findMany({ where: { userId, id: { in: payeeIds } }, select: { id: true, name: true } })
      : [],
    accountIds.length
      ? db.account.findMany({ where: { userId, id: { in: accountIds } }, select: { id: true, name: true } })
      : [],
    references.length
      ? db.transfer.findMany({
          where: { userId, reference: { in: references } },
          select: { reference: true, payee: { select: { name: true } }, toAccount: { select: { name: true } } },
        })
      : [],
  ]);
  const payee = new Map(payees.map((p) => [p.id, p.name]));
  const account = new Map(accounts.map((a) => [a.id, a.name]));
  const recipient = new Map(transfers.map((t) => [t.reference, t.payee?.name ?? t.toAccount.name]));
  return (e: { action: string; metadata: Record<string, unknown> }): string | null => {
    const key = (name: string) => (typeof e.metadata[name] === "string" ? (e.metadata[name] as string) : "");
    if (e.action.startsWith("payee.")) return payee.get(key("payeeId")) ?? null;
    if (e.action === "account.reveal") return account.get(key("accountId")) ?? null;
    if (e.action === "transfer.create") return recipient.get(key("reference")) ?? null;
    return null;
  };
}

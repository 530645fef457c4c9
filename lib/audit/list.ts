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
  security: ["passkey.", "step_up.", "assurance.", "auth.reauth", "auth.password_change", "auth.session_revoke", "auth.session_refused", "auth.sign_in_locked", "recovery."],
  transfer: ["transfer."],
  payee: ["payee."],
  payout: ["payout."],
  account: ["account."],
} as const;
export type AuditCategory = keyof typeof CATEGORY_PREFIXES;
export const AUDIT_CATEGORIES = Object.keys(CATEGORY_PREFIXES) as AuditCategory[];

/** The signed-in user's own security and activity log, newest first, optionally one category. */
export async function listMyAuditEvents(category?: unknown, take = 100): Promise<AuditView[]> {
  const user = await requireUser();
  const prefixes = typeof category === "string" && Object.hasOwn(CATEGORY_PREFIXES, category) ? CATEGORY_PREFIXES[category as AuditCategory] : null;
  const rows = await db.auditEvent.findMany({
    where: { userId: user.id, ...(prefixes ? { OR: prefixes.map((p) => ({ action: { startsWith: p } })) } : {}) },
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

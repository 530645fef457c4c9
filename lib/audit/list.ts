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

export const AUDIT_CATEGORIES = ["auth", "transfer", "payee", "payout", "account"] as const;

/** The signed-in user's own security and activity log, newest first, optionally one category. */
export async function listMyAuditEvents(category?: unknown, take = 100): Promise<AuditView[]> {
  const user = await requireUser();
  const prefix = (AUDIT_CATEGORIES as readonly unknown[]).includes(category) ? `${category as string}.` : undefined;
  const rows = await db.auditEvent.findMany({
    where: { userId: user.id, ...(prefix ? { action: { startsWith: prefix } } : {}) },
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

import "server-only";
import { cache } from "react";
import { getRequestContext, recordAudit } from "@/lib/audit/log";
import { db, type Tx } from "@/lib/db";
import { env } from "@/lib/env";
import { notFound } from "@/lib/errors";

/**
 * Server-side session records (OWASP ASVS 5 V7.5.2). The JWT only names its session (`sid`); the row
 * decides whether it still counts, so revoking it ends the session on its next request, on every
 * app instance. Timeouts follow NIST SP 800-63B-4 §2.2.3 (AAL2): idle SESSION_IDLE_TIMEOUT_S
 * (default 30 min), absolute SESSION_MAX_AGE_S (default 12 h).
 */

/** lastSeenAt is written at most this often, so an active session costs one read per request, not a write. */
const TOUCH_EVERY_MS = 60_000;

export async function startSession(input: { id: string; userId: string; method: "password" | "passkey" | "recovery" | "sso" }): Promise<void> {
  const { ip, userAgent } = await getRequestContext();
  await db.session.create({
    data: { id: input.id, userId: input.userId, method: input.method, ip, userAgent, expiresAt: new Date(Date.now() + env.SESSION_MAX_AGE_S * 1000) },
  });
}

/** True when the session exists for this user, isn't revoked, and is within both timeouts. Refreshes lastSeenAt. */
export async function isSessionLive(sid: string, userId: string, now = new Date()): Promise<boolean> {
  const row = await db.session.findUnique({ where: { id: sid }, select: { userId: true, revokedAt: true, expiresAt: true, lastSeenAt: true, revokedReason: true } });
  if (!row || row.userId !== userId) return false;
  const refused = row.revokedAt
    ? "revoked"
    : row.expiresAt <= now
      ? "absolute_timeout"
      : now.getTime() - row.lastSeenAt.getTime() > env.SESSION_IDLE_TIMEOUT_S * 1000
        ? "idle_timeout"
        : null;
  if (refused) {
    await auditRefusedSession(sid, userId, refused, row.revokedReason);
    return false;
  }
  if (now.getTime() - row.lastSeenAt.getTime() > TOUCH_EVERY_MS) {
    await db.session.updateMany({ where: { id: sid, revokedAt: null }, data: { lastSeenAt: now } });
  }
  return true;
}

/**
 * A cookie naming an ended session was presented (a replay after sign-out, a revoked device, a
 * timeout): the customer's security log shows it with the request's IP. Once per request, though a
 * page render asks for the session several times (React's cache() is per request).
 */
const auditRefusedSession = cache(async (sid: string, userId: string, reason: string, revokedReason: string | null) => {
  await recordAudit({ userId, action: "auth.session_refused", outcome: "DENIED", reason, metadata: { session: sid.slice(0, 8), revokedReason } });
});

export async function revokeSession(sid: string, reason: string): Promise<void> {
  await db.session.updateMany({ where: { id: sid, revokedAt: null }, data: { revokedAt: new Date(), revokedReason: reason } });
}

/** Ends every other live session of this user (e.g. inside a password change's transaction). */
export async function revokeOtherSessions(client: Tx | typeof db, user: { id: string; sid: string }, reason: string): Promise<number> {
  const { count } = await client.session.updateMany({
    where: { userId: user.id, id: { not: user.sid }, revokedAt: null },
    data: { revokedAt: new Date(), revokedReason: reason },
  });
  return count;
}

export type SessionView = { id: string; current: boolean; method: string; ip: string | null; device: string; createdAt: Date; lastSeenAt: Date };

/** A short, readable device name from a user agent ("Chrome on Linux"). */
export function deviceOf(userAgent: string | null): string {
  if (!userAgent) return "Unknown device";
  const browser = /Edg\//.test(userAgent) ? "Edge" : /Firefox\//.test(userAgent) ? "Firefox" : /Chrome\/|Chromium\//.test(userAgent) ? "Chrome" : /Safari\//.test(userAgent) ? "Safari" : "A browser";
  const os = /Windows/.test(userAgent) ? "Windows" : /iPhone|iPad/.test(userAgent) ? "iOS" : /Android/.test(userAgent) ? "Android" : /Mac OS X/.test(userAgent) ? "macOS" : /Linux/.test(userAgent) ? "Linux" : "an unknown system";
  return `${browser} on ${os}`;
}

/** The user's live sessions, this one first. */
export async function listSessionsOf(user: { id: string; sid: string }, now = new Date()): Promise<SessionView[]> {
  const rows = await db.session.findMany({
    where: { userId: user.id, revokedAt: null, expiresAt: { gt: now }, lastSeenAt: { gt: new Date(now.getTime() - env.SESSION_IDLE_TIMEOUT_S * 1000) } },
    orderBy: { lastSeenAt: "desc" },
    take: 50,
  });
  return rows
    .map((r) => ({ id: r.id, current: r.id === user.sid, method: r.method, ip: r.ip, device: deviceOf(r.userAgent), createdAt: r.createdAt, lastSeenAt: r.lastSeenAt }))
    .sort((a, b) => Number(b.current) - Number(a.current));
}

/** Revokes one of the user's own sessions (not found for anyone else's). */
export async function revokeSessionOf(user: { id: string; sid: string }, sessionId: unknown): Promise<void> {
  if (typeof sessionId !== "string" || sessionId.length > 64) throw notFound("That session");
  const { count } = await db.session.updateMany({
    where: { id: sessionId, userId: user.id, revokedAt: null },
    data: { revokedAt: new Date(), revokedReason: sessionId === user.sid ? "signed_out" : "revoked_by_user" },
  });
  if (count !== 1) throw notFound("That session");
  await recordAudit({ userId: user.id, action: "auth.session_revoke", outcome: "SUCCESS", metadata: { current: sessionId === user.sid } });
}

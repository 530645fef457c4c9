import "server-only";
import { deviceNameOf } from "@/lib/audit/device";
import { randomUUID } from "node:crypto";
import { decode, type JWT } from "next-auth/jwt";
import { cookies } from "next/headers";
import { cache } from "react";
import { getRequestContext, recordAudit } from "@/lib/audit/log";
import { db, type Tx } from "@/lib/db";
import { env } from "@/lib/env";
import { notFound } from "@/lib/errors";
import { notify } from "@/lib/notify/messages";
import { ensureDeviceId } from "@/lib/risk/device";

/**
 * Server-side session records (OWASP ASVS 5 V7.5.2). The JWT only names its session (`sid`); the row
 * decides whether it still counts, so revoking it ends the session on its next request, on every
 * app instance. Timeouts follow NIST SP 800-63B-4 §2.2.3 (AAL2): idle SESSION_IDLE_TIMEOUT_S
 * (default 30 min), absolute SESSION_MAX_AGE_S (default 12 h).
 */

/** lastSeenAt is written at most this often, so an active session costs one read per request, not a write. */
const TOUCH_EVERY_MS = 60_000;

export async function startSession(input: {
  id: string;
  userId: string;
  method: "password" | "passkey" | "recovery" | "sso";
}): Promise<void> {
  const [{ ip, userAgent }, deviceId] = await Promise.all([getRequestContext(), ensureDeviceId()]);
  await db.$transaction(async (tx) => {
    // A device this customer never signed in from, nor proved with a passkey: they are told
    // (docs/notifications.md). A browser without a device cookie is one Vault can't recognise.
    const seen =
      deviceId !== null &&
      ((await tx.session.count({ where: { userId: input.userId, deviceId } })) > 0 ||
        (await tx.knownDevice.count({ where: { userId: input.userId, deviceId } })) > 0);
    await tx.session.create({
      data: {
        id: input.id,
        userId: input.userId,
        method: input.method,
        ip,
        userAgent,
        deviceId,
        expiresAt: new Date(Date.now() + env.SESSION_MAX_AGE_S * 1000),
      },
    });
    // A recovery-code sign-in has its own notice (lib/auth/recovery-sign-in.ts).
    if (!seen && input.method !== "recovery")
      await notify(tx, input.userId, "signin.new_device", { method: SIGN_IN_METHOD[input.method] });
  });
}

const SIGN_IN_METHOD = {
  password: "with a password",
  passkey: "with a passkey",
  recovery: "with a recovery code",
  sso: "with single sign-on",
} as const;

/** Auth.js' session cookie names (the __Secure- one over https); a large token is split into .0, .1, … chunks. */
const SESSION_COOKIES = ["__Secure-authjs.session-token", "authjs.session-token"];

/**
 * The session token this request's browser presents, decoded (Auth.js encrypts it with AUTH_SECRET,
 * the cookie name as salt), or null: no cookie, outside a request, or not a token of ours.
 */
export async function presentedSessionToken(): Promise<JWT | null> {
  let jar: Awaited<ReturnType<typeof cookies>>;
  try {
    jar = await cookies();
  } catch {
    return null;
  }
  for (const name of SESSION_COOKIES) {
    const chunks = jar
      .getAll()
      .filter((c) => c.name === name || c.name.startsWith(`${name}.`))
      .sort((a, b) => Number(a.name.split(".").pop()) - Number(b.name.split(".").pop()));
    const token = jar.get(name)?.value ?? chunks.map((c) => c.value).join("");
    if (!token) continue;
    try {
      return await decode({ token, secret: env.AUTH_SECRET, salt: name });
    } catch {
      return null;
    }
  }
  return null;
}

/**
 * A new sign-in replaces whatever session this browser had: that session ends ("replaced"), so the
 * cookie it overwrites can't be used from a copy (OWASP ASVS 5 V7.2.4, and recovery sign-in in
 * particular: the code proves the customer again and the session before it must not live on).
 */
export async function endReplacedSession(newUserId: string): Promise<void> {
  const previous = await presentedSessionToken();
  if (typeof previous?.sid !== "string" || typeof previous.uid !== "string") return;
  const { count } = await db.session.updateMany({
    where: { id: previous.sid, userId: previous.uid, revokedAt: null },
    data: { revokedAt: new Date(), revokedReason: "replaced_by_sign_in" },
  });
  if (count === 1)
    await recordAudit({
      userId: previous.uid,
      action: "auth.sign_out",
      outcome: "SUCCESS",
      reason: "replaced_by_sign_in",
      metadata: { sameCustomer: previous.uid === newUserId },
    });
}

/** True when the session exists for this user, isn't revoked, and is within both timeouts. Refreshes lastSeenAt. */
export async function isSessionLive(sid: string, userId: string, now = new Date()): Promise<boolean> {
  return (await liveSession(sid, userId, now)) !== null;
}

/** isSessionLive, with where and when the sign-in was made (for the risk signals), from the same read. */
export async function liveSession(
  sid: string,
  userId: string,
  now = new Date(),
): Promise<{ ip: string | null; createdAt: Date } | null> {
  const row = await db.session.findUnique({
    where: { id: sid },
    select: {
      userId: true,
      revokedAt: true,
      expiresAt: true,
      lastSeenAt: true,
      revokedReason: true,
      ip: true,
      createdAt: true,
    },
  });
  if (!row || row.userId !== userId) return null;
  const refused = row.revokedAt
    ? "revoked"
    : row.expiresAt <= now
      ? "absolute_timeout"
      : now.getTime() - row.lastSeenAt.getTime() > env.SESSION_IDLE_TIMEOUT_S * 1000
        ? "idle_timeout"
        : null;
  if (refused) {
    await auditRefusedSession(sid, userId, refused, row.revokedReason);
    return null;
  }
  if (now.getTime() - row.lastSeenAt.getTime() > TOUCH_EVERY_MS) {
    await db.session.updateMany({ where: { id: sid, revokedAt: null }, data: { lastSeenAt: now } });
  }
  return { ip: row.ip, createdAt: row.createdAt };
}

/**
 * A cookie naming an ended session was presented (a replay after sign-out, a revoked device, a
 * timeout): the customer's security log shows it with the request's IP. Once per request, though a
 * page render asks for the session several times (React's cache() is per request).
 */
const auditRefusedSession = cache(async (sid: string, userId: string, reason: string, revokedReason: string | null) => {
  await recordAudit({
    userId,
    action: "auth.session_refused",
    outcome: "DENIED",
    reason,
    metadata: { session: sid.slice(0, 8), revokedReason },
  });
});

export async function revokeSession(sid: string, reason: string): Promise<void> {
  await db.session.updateMany({
    where: { id: sid, revokedAt: null },
    data: { revokedAt: new Date(), revokedReason: reason },
  });
}

/**
 * Sign-out, whichever way it came (Vault's button, the session list's "End session" on this device,
 * or Auth.js' own POST /api/auth/signout): Auth.js hands `events.signOut` the decoded token, and the
 * session it names ends server-side, so a copy of the cookie is refused afterwards. Audited once: a
 * session already ended (e.g. by the session list just before) changes nothing and writes nothing.
 */
export async function endSignedOutSession(
  token: { sid?: unknown; uid?: unknown } | null | undefined,
): Promise<boolean> {
  if (typeof token?.sid !== "string" || typeof token.uid !== "string") return false;
  const { count } = await db.session.updateMany({
    where: { id: token.sid, userId: token.uid, revokedAt: null },
    data: { revokedAt: new Date(), revokedReason: "signed_out" },
  });
  if (count !== 1) return false;
  await recordAudit({ userId: token.uid, action: "auth.sign_out", outcome: "SUCCESS" });
  return true;
}

/**
 * Session rotation (OWASP ASVS 5 V7.2.4: re-authentication issues a new session token and ends the
 * old one). The live session `oldSid` is ended with reason "rotated" and a new one takes its place:
 * same customer, sign-in method, sign-in time and absolute end (a rotation is not a new sign-in, so
 * it doesn't extend the session), this request's address. What was bound to the old session moves
 * with it in the same transaction: pending or authorised step-up intents (the one being resumed in
 * this very request, and any other still waiting), IdP step-ups in flight, and unused grants. Returns
 * the new id, or null when the old session is no longer live (nothing rotates, nothing moves).
 */
export async function rotateSession(oldSid: string, userId: string, now = new Date()): Promise<string | null> {
  const newSid = randomUUID();
  const { ip, userAgent } = await getRequestContext();
  return db.$transaction(async (tx) => {
    const old = await tx.session.findUnique({ where: { id: oldSid } });
    if (!old || old.userId !== userId || old.revokedAt || old.expiresAt <= now) return null;
    const ended = await tx.session.updateMany({
      where: { id: oldSid, userId, revokedAt: null },
      data: { revokedAt: now, revokedReason: "rotated" },
    });
    if (ended.count !== 1) return null; // a racing rotation or sign-out got there first
    await tx.session.create({
      data: {
        id: newSid,
        userId,
        method: old.method,
        ip: ip ?? old.ip,
        userAgent: userAgent ?? old.userAgent,
        createdAt: old.createdAt,
        lastSeenAt: now,
        expiresAt: old.expiresAt,
      },
    });
    await tx.stepUpIntent.updateMany({
      where: { userId, sessionId: oldSid, status: { in: ["PENDING", "AUTHORISED"] } },
      data: { sessionId: newSid },
    });
    await tx.ssoStepUp.updateMany({
      where: { userId, sessionId: oldSid, consumedAt: null },
      data: { sessionId: newSid },
    });
    return newSid;
  });
}

/** Ends every other live session of this user (e.g. inside a password change's transaction). */
export async function revokeOtherSessions(
  client: Tx | typeof db,
  user: { id: string; sid: string },
  reason: string,
): Promise<number> {
  const { count } = await client.session.updateMany({
    where: { userId: user.id, id: { not: user.sid }, revokedAt: null },
    data: { revokedAt: new Date(), revokedReason: reason },
  });
  return count;
}

export type SessionView = {
  id: string;
  current: boolean;
  method: string;
  ip: string | null;
  device: string;
  createdAt: Date;
  lastSeenAt: Date;
};

/** A short, readable device name ("Chrome on Linux", lib/audit/device.ts), or "Unknown device". */
export { deviceNameOf };

/** The user's live sessions, this one first. */
export async function listSessionsFor(user: { id: string; sid: string }, now = new Date()): Promise<SessionView[]> {
  const rows = await db.session.findMany({
    where: {
      userId: user.id,
      revokedAt: null,
      expiresAt: { gt: now },
      lastSeenAt: { gt: new Date(now.getTime() - env.SESSION_IDLE_TIMEOUT_S * 1000) },
    },
    orderBy: { lastSeenAt: "desc" },
    take: 50,
  });
  return rows
    .map((r) => ({
      id: r.id,
      current: r.id === user.sid,
      method: r.method,
      ip: r.ip,
      device: deviceNameOf(r.userAgent),
      createdAt: r.createdAt,
      lastSeenAt: r.lastSeenAt,
    }))
    .sort((a, b) => Number(b.current) - Number(a.current));
}

/** Revokes one of the user's own sessions (not found for anyone else's). */
export async function revokeSessionFor(user: { id: string; sid: string }, sessionId: unknown): Promise<void> {
  if (typeof sessionId !== "string" || sessionId.length > 64) throw notFound("That session");
  const { count } = await db.session.updateMany({
    where: { id: sessionId, userId: user.id, revokedAt: null },
    data: { revokedAt: new Date(), revokedReason: sessionId === user.sid ? "signed_out" : "revoked_by_user" },
  });
  if (count !== 1) throw notFound("That session");
  await recordAudit({
    userId: user.id,
    action: "auth.session_revoke",
    outcome: "SUCCESS",
    metadata: { current: sessionId === user.sid },
  });
}

import "server-only";
import { createHmac, hkdfSync, randomBytes, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { isAcr, type Grant } from "@/lib/auth/claims";
import { env } from "@/lib/env";

/** A grant is used within the same request that minted it; a minute is generous. */
const GRANT_TTL_MS = 60_000;

/**
 * A grant is a sealed note from the server to its own jwt callback: "raise (or only rotate) session
 * `s` of user `u`, before `exp`". It is passed in memory to Auth.js' update (lib/auth/raise-claims.ts)
 * and never sent to a browser or stored, so a grant costs no SQL. It carries an HMAC-SHA-256 under a
 * key derived from AUTH_SECRET (HKDF, RFC 5869) for this one use, so nothing a browser sends to POST
 * /api/auth/session can pass for one.
 *
 * Single use is the session's own state transition: the jwt callback applies a grant only together
 * with rotating the session it names (lib/auth/callbacks.ts), and rotation ends that session in one
 * conditional write (lib/auth/session-records.ts rotateSession). The same grant presented again names
 * a session that is no longer live, so it raises nothing (lib/auth/rotation.test.ts).
 */
let derived: Buffer | null = null;
const key = () =>
  (derived ??= Buffer.from(hkdfSync("sha256", env.AUTH_SECRET, "vault", "vault assurance grant v1", 32)));

const body = z.object({
  u: z.string(),
  s: z.string(),
  exp: z.number(),
  n: z.string(),
  /** The claims to add; absent for a grant that only rotates the session. */
  raise: z.object({ amr: z.array(z.string()), acr: z.string(), authTime: z.number() }).optional(),
});
type Body = z.infer<typeof body>;

const macOf = (payload: string) => createHmac("sha256", key()).update(payload).digest();

function seal(content: Omit<Body, "exp" | "n">): string {
  const payload = Buffer.from(
    JSON.stringify({ ...content, exp: Date.now() + GRANT_TTL_MS, n: randomBytes(12).toString("base64url") }),
  ).toString("base64url");
  return `${payload}.${macOf(payload).toString("base64url")}`;
}

/** The grant's content if this server sealed it, for this user and session, and it hasn't expired. */
function open(raw: string, userId: string, sessionId: string): Body | null {
  const [payload, mac, extra] = raw.split(".");
  if (!payload || !mac || extra !== undefined) return null;
  const presented = Buffer.from(mac, "base64url");
  const expected = macOf(payload);
  if (presented.length !== expected.length || !timingSafeEqual(presented, expected)) return null;
  let parsed: Body;
  try {
    parsed = body.parse(JSON.parse(Buffer.from(payload, "base64url").toString("utf8")));
  } catch {
    return null;
  }
  if (parsed.u !== userId || parsed.s !== sessionId || parsed.exp <= Date.now()) return null;
  return parsed;
}

/** Mints a grant that raises this session's claims (and rotates it) when the jwt callback applies it. */
export function mintGrant(input: { userId: string; sessionId: string } & Grant): string {
  return seal({
    u: input.userId,
    s: input.sessionId,
    raise: { amr: input.amr, acr: input.acr, authTime: input.authTime },
  });
}

/** Mints a grant that rotates this session without raising anything (lib/auth/raise-claims.ts). */
export function mintRotationGrant(input: { userId: string; sessionId: string }): string {
  return seal({ u: input.userId, s: input.sessionId });
}

/**
 * Opens a grant for this user and session: "rotate" for a rotation-only grant, the claims to add for
 * any other, null for anything this server didn't seal for them or that expired. Applying it once is
 * the caller's session rotation (see above).
 */
export async function openSessionGrant(
  raw: string,
  userId: string,
  sessionId: string,
): Promise<Grant | "rotate" | null> {
  const opened = open(raw, userId, sessionId);
  if (!opened) return null;
  if (!opened.raise) return "rotate";
  const { amr, acr, authTime } = opened.raise;
  return isAcr(acr) ? { amr, acr, authTime } : null;
}

/** openSessionGrant for a grant that raises claims; a rotation-only grant gives null. */
export async function openGrant(raw: string, userId: string, sessionId: string): Promise<Grant | null> {
  const grant = await openSessionGrant(raw, userId, sessionId);
  return grant === "rotate" ? null : grant;
}

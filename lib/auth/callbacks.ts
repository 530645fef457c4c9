import { randomUUID } from "node:crypto";
import type { JWT } from "next-auth/jwt";
import type { Session, User } from "next-auth";
import "@/lib/auth/types";
import { ACR, applyGrant, isAcr, passwordSignInClaims, type Grant } from "@/lib/auth/claims";

/**
 * Opens a server-sealed grant for this user and session (lib/auth/grants.ts); null when forged,
 * expired or foreign, "rotate" for a grant that only rotates the session.
 */
export type OpenGrant = (raw: string, userId: string, sessionId: string) => Promise<Grant | "rotate" | null>;

/** Longest grant read from an update: a sealed raise with every amr value fits well under it. */
const MAX_GRANT_LENGTH = 512;

/** Replaces the live session `sid` with a new one (lib/auth/session-records.ts rotateSession); null if it isn't live. */
export type RotateSession = (sid: string, userId: string) => Promise<string | null>;

/**
 * Auth.js callbacks, kept apart from the NextAuth() call so their rules can be unit-tested.
 *
 * jwt, at sign-in: a fresh primary authentication replaces every assurance claim. Passkey sign-in
 * brings its own claims (from the verified assertion), as does a recovery code; a password gets
 * ["pwd"] / AAL1.
 *
 * jwt, on update: `trigger === "update"` is reachable by any signed-in browser (POST
 * /api/auth/session with any `data`), so nothing from `session` is ever copied into the token. The
 * only thing read from it is a sealed grant, which raises claims only if the server minted it for
 * this user and this session, within the minute (lib/auth/grants.ts). A grant never leaves the
 * server, so a browser can't present one.
 *
 * A grant is applied only together with rotating the session (OWASP ASVS 5 V7.2.4: re-authentication
 * issues a new session token and ends the old one): the token gets a new `sid`, the old session row
 * is ended, and the cookie set on this response is the only one that still works. That rotation, one
 * conditional write, is also what makes a grant single-use: presented again, it names a session that
 * is no longer live, and nothing is raised.
 */
export async function jwtCallback({
  token,
  user,
  trigger,
  session,
  openGrant,
  startSession,
  rotateSession,
  now = new Date(),
}: {
  token: JWT;
  user?: User;
  trigger?: string;
  session?: unknown;
  openGrant: OpenGrant;
  /** Records the new sign-in server-side (lib/auth/session-records.ts); the token only names it by `sid`. */
  startSession?: (session: {
    id: string;
    userId: string;
    method: "password" | "passkey" | "recovery" | "sso";
  }) => Promise<void>;
  rotateSession: RotateSession;
  now?: Date;
}): Promise<JWT> {
  const userId = user?.vaultUserId ?? user?.id;
  if (trigger === "signIn" && userId) {
    const claims = user?.claims ?? passwordSignInClaims(now);
    const fresh: JWT = {
      ...token,
      uid: userId,
      sid: randomUUID(),
      amr: claims.amr,
      acr: claims.acr,
      auth_time: claims.auth_time,
    };
    delete fresh.phr_time;
    delete fresh.reauth_time;
    delete fresh.recovery_time;
    if (claims.phr_time) fresh.phr_time = claims.phr_time;
    if (claims.reauth_time) fresh.reauth_time = claims.reauth_time;
    if (claims.recovery_time) fresh.recovery_time = claims.recovery_time;
    const method =
      user?.method ?? (claims.recovery_time ? "recovery" : claims.acr === ACR.PHR ? "passkey" : "password");
    await startSession?.({ id: fresh.sid!, userId, method });
    return fresh;
  }
  if (trigger === "update" && token.uid && token.sid) {
    const raw = (session as { grant?: unknown } | null | undefined)?.grant;
    if (typeof raw !== "string" || raw.length > MAX_GRANT_LENGTH) return token;
    const grant = await openGrant(raw, token.uid, token.sid);
    if (!grant) return token;
    const raised = grant === "rotate" ? { ...token } : applyGrant(token, grant);
    const sid = await rotateSession(token.sid, token.uid);
    // The old session is no longer live (ended meanwhile): nothing is raised on a token that is refused anyway.
    return sid ? { ...raised, sid } : token;
  }
  return token;
}

/** Copies the claims onto the session; a token without them yields no signed-in user. */
export function sessionCallback({ session, token }: { session: Session; token: JWT }): Session {
  if (!token.uid || !token.sid || !isAcr(token.acr) || typeof token.auth_time !== "number") return session;
  return {
    ...session,
    user: { ...session.user, id: token.uid, email: session.user?.email ?? "", name: session.user?.name ?? "" },
    amr: token.amr ?? [],
    acr: token.acr,
    auth_time: token.auth_time,
    sid: token.sid,
    phr_time: token.phr_time,
    reauth_time: token.reauth_time,
    recovery_time: token.recovery_time,
  };
}

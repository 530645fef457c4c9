import { randomUUID } from "node:crypto";
import type { JWT } from "next-auth/jwt";
import type { Session, User } from "next-auth";
import "@/lib/auth/types";
import { isAcr, passwordSignInClaims } from "@/lib/auth/claims";

/**
 * Auth.js callbacks, kept apart from the NextAuth() call so their rules can be unit-tested.
 *
 * jwt: at sign-in, a fresh primary authentication replaces every assurance claim.
 * `trigger === "update"` is reachable by any signed-in browser (POST /api/auth/session with any
 * `data`), so nothing from `session` is ever copied into the token: claims are raised only by the
 * server (the step-up grant, added with step-up).
 */
export function jwtCallback({ token, user, trigger, now = new Date() }: { token: JWT; user?: User; trigger?: string; now?: Date }): JWT {
  if (trigger === "signIn" && user?.id) {
    const claims = passwordSignInClaims(now);
    return { ...token, uid: user.id, sid: randomUUID(), amr: claims.amr, acr: claims.acr, auth_time: claims.auth_time };
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
  };
}

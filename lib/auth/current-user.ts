import "server-only";
import { redirect } from "next/navigation";
import { cache } from "react";
import type { Session } from "next-auth";
import type { JWT } from "next-auth/jwt";
import { sessionCallback } from "@/lib/auth/callbacks";
import { liveSession, presentedSessionToken } from "@/lib/auth/session-records";
import { getRequestContext } from "@/lib/audit/log";
import { presentedDeviceId } from "@/lib/risk/device";

import type { Actor, BrowserContext } from "@/lib/assurance/operation";

/** The signed-in customer: an Actor (their sign-in and its assurance claims, what the guard reads) with their name and email. */
export type SessionUser = Actor & { email: string; name: string };

/**
 * The signed-in user, or null. Never trusts anything but the server-decoded session.
 *
 * Once per request: a page asks in its layout and in every lib/ call it makes, and React's cache()
 * keeps the answer for the rest of this server render (it doesn't span requests or users).
 */
export const getSessionUser = cache(readSessionUser);

/**
 * Reading the session is decrypting the cookie, nothing more. Auth.js' auth() would also run the
 * callbacks and seal the token again (about 2.7 ms per request), for a cookie nobody sets from a page
 * render. Nothing needs re-issuing on a read: the cookie's life is the session's absolute timeout
 * (lib/auth/config.ts session.maxAge), the idle timeout lives on the server-side record, and every
 * change to the claims (sign-in, step-up, rotation) sets a new cookie through Auth.js itself.
 *
 * The token is read from cookies(), not the Cookie header as it arrived: after a server action rotated
 * the session (lib/auth/raise-claims.ts), Next renders the page again in the same response with the
 * cookies the action set (cookies() is synchronised, headers() is not), and the arrived header names
 * the session just ended.
 */
async function readSessionUser(): Promise<SessionUser | null> {
  const token = await presentedSessionToken();
  if (!token) return null;
  const [{ ip, userAgent }, deviceId] = await Promise.all([getRequestContext(), presentedDeviceId()]);
  return sessionUserOf(token, { ip, userAgent, deviceId });
}

/**
 * The customer a decrypted session token names, if its server-side session is live (exported for the
 * bench). `request`: where the request comes from, for the risk signals (Actor.context).
 */
export async function sessionUserOf(
  token: JWT,
  request: Pick<BrowserContext, "deviceId" | "ip" | "userAgent"> | null = null,
): Promise<SessionUser | null> {
  // The same mapping Auth.js would apply (lib/auth/callbacks.ts): a token without the claims is no one.
  const session = sessionCallback({
    session: { user: { email: token.email ?? "", name: token.name ?? "" }, expires: "" } as Session,
    token,
  });
  const id = session.user?.id;
  if (!id || !session.sid) return null;
  // The cookie only names the session; the server-side record says whether it still counts.
  const live = await liveSession(session.sid, id);
  if (!live) return null;
  return {
    context: request ? { ...request, signInIp: live.ip, signedInAt: live.createdAt } : undefined,
    id,
    email: session.user.email,
    name: session.user.name,
    sid: session.sid,
    claims: {
      amr: session.amr,
      acr: session.acr,
      auth_time: session.auth_time,
      phr_time: session.phr_time,
      reauth_time: session.reauth_time,
      recovery_time: session.recovery_time,
    },
  };
}

/** The signed-in user; anyone else is sent to the login page. Every page and action starts here. */
export async function requireUser(): Promise<SessionUser> {
  const user = await getSessionUser();
  if (!user) redirect("/login");
  return user;
}

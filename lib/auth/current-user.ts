import "server-only";
import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { cache } from "react";
import type { Session } from "next-auth";
import { auth } from "@/lib/auth/config";
import { isSessionLive } from "@/lib/auth/session-records";

import type { Actor } from "@/lib/assurance/operation";

/** The signed-in customer: an Actor (their sign-in and its assurance claims, what the guard reads) with their name and email. */
export type SessionUser = Actor & { email: string; name: string };

/**
 * The signed-in user, or null. Never trusts anything but the server-decoded session.
 *
 * Once per request: each auth() call runs Auth.js' whole session round (decrypt the JWT, run the
 * callbacks, seal it again), and a page asks in its layout and in every lib/ call it makes. React's
 * cache() keeps the answer for the rest of this server render (it doesn't span requests or users).
 */
export const getSessionUser = cache(readSessionUser);

/**
 * Auth.js' auth() reads the Cookie header of the request as it arrived. After a server action rotated
 * the session (lib/auth/raise-claims.ts), Next renders the page again in the same response with the
 * cookies the action set (cookies() is synchronised, headers() is not), and the arrived header names
 * the session just ended. So the session is read from cookies(): what the browser will hold next.
 */
async function currentSession(): Promise<Session | null> {
  const [incoming, jar] = await Promise.all([headers(), cookies()]);
  const forwarded = new Headers(incoming);
  forwarded.set(
    "cookie",
    jar
      .getAll()
      .map((c) => `${c.name}=${encodeURIComponent(c.value)}`)
      .join("; "),
  );
  // auth()'s request form: reads the session from these headers; the response it may refresh is dropped,
  // as in a page render (Auth.js' own session endpoint and the sign-in set the cookie).
  const read = auth as unknown as (
    request: { headers: Headers },
    response: { headers: Headers },
  ) => Promise<Session | null>;
  return read({ headers: forwarded }, { headers: new Headers() });
}

async function readSessionUser(): Promise<SessionUser | null> {
  const session = await currentSession();
  const id = session?.user?.id;
  if (!session || !id || !session.sid) return null;
  // The cookie only names the session; the server-side record says whether it still counts.
  if (!(await isSessionLive(session.sid, id))) return null;
  return {
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

import "server-only";
import { unstable_update } from "@/lib/auth/config";
import type { Grant } from "@/lib/auth/claims";
import { mintGrant, mintRotationGrant } from "@/lib/auth/grants";

/**
 * The one place that changes a live session's token. Auth.js has no stable server-side API for it:
 * `unstable_update` re-runs the jwt callback with trigger "update" and sets the new cookie on this
 * response. Only a freshly sealed grant is passed; the callback applies it with the rotation (lib/auth/callbacks.ts).
 *
 * Each call also rotates the session (OWASP ASVS 5 V7.2.4): the cookie set here names a new session
 * id and the old one is ended, so a copy of the cookie from before is refused. auth_time stays: it is
 * still the same sign-in. The caller's `user` is moved to the new id, so the rest of this request
 * (the operation a step-up resumes, bound to its intent, which moved with the session) runs as the
 * session the browser now holds.
 */
async function update(user: { id: string; sid: string }, raw: string): Promise<void> {
  const session = (await unstable_update({ grant: raw } as never)) as { sid?: unknown } | null;
  if (typeof session?.sid === "string") user.sid = session.sid;
}

/** Raises the session's claims after a verified factor (a step-up, a password re-entry), and rotates it. */
export async function raiseSessionClaims(user: { id: string; sid: string }, grant: Grant): Promise<void> {
  await update(user, mintGrant({ userId: user.id, sessionId: user.sid, ...grant }));
}

/** Rotates the session without changing its claims: after a password change, or "sign out everywhere else". */
export async function rotateSessionToken(user: { id: string; sid: string }): Promise<void> {
  await update(user, mintRotationGrant({ userId: user.id, sessionId: user.sid }));
}

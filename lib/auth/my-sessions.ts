import "server-only";
import { recordAudit } from "@/lib/audit/log";
import { requireUser } from "@/lib/auth/session";
import { listSessionsOf, revokeOtherSessions, revokeSessionOf, type SessionView } from "@/lib/auth/sessions";
import { db } from "@/lib/db";

/** The signed-in user's live sessions (this one first). */
export async function listMySessions(): Promise<SessionView[]> {
  return listSessionsOf(await requireUser());
}

/** Ends one of the signed-in user's sessions; anyone else's is "not found". Ending sessions needs no step-up: it only protects. */
export async function revokeMySession(sessionId: unknown): Promise<void> {
  return revokeSessionOf(await requireUser(), sessionId);
}

/** "Sign out everywhere else." */
export async function revokeMyOtherSessions(): Promise<number> {
  const user = await requireUser();
  const ended = await revokeOtherSessions(db, user, "revoked_by_user");
  await recordAudit({ userId: user.id, action: "auth.session_revoke", outcome: "SUCCESS", metadata: { others: ended } });
  return ended;
}

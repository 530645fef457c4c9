import "server-only";
import { revokeAccessTokensOf } from "@/lib/api/tokens";
import { recordAudit } from "@/lib/audit/log";
import { rotateSessionToken } from "@/lib/auth/raise-claims";
import { requireUser } from "@/lib/auth/current-user";
import { listSessionsFor, revokeOtherSessions, revokeSessionFor, type SessionView } from "@/lib/auth/session-records";
import { db } from "@/lib/db";
import { notify } from "@/lib/notify/messages";

/** The signed-in user's live sessions (this one first). */
export async function listMySessions(): Promise<SessionView[]> {
  return listSessionsFor(await requireUser());
}

/** Ends one of the signed-in user's sessions; anyone else's is "not found". Ending sessions needs no step-up: it only protects. */
export async function revokeMySession(sessionId: unknown): Promise<void> {
  return revokeSessionFor(await requireUser(), sessionId);
}

/**
 * "Sign out everywhere else": every other session ends, and so do the API access tokens (a thief with
 * a session may have minted one; the API clients themselves stay, see lib/api/tokens.ts). This
 * session's token is rotated as well (OWASP ASVS 5 V7.2.4): whoever copied the cookie is out too.
 */
export async function revokeMyOtherSessions(): Promise<number> {
  const user = await requireUser();
  const { ended, tokensEnded } = await db.$transaction(async (tx) => {
    const result = {
      ended: await revokeOtherSessions(tx, user, "revoked_by_user"),
      tokensEnded: await revokeAccessTokensOf(tx, user.id),
    };
    if (result.ended > 0) await notify(tx, user.id, "sessions.ended", { count: String(result.ended) });
    return result;
  });
  await recordAudit({
    userId: user.id,
    action: "auth.session_revoke",
    outcome: "SUCCESS",
    metadata: { others: ended, apiAccessTokensEnded: tokensEnded },
  });
  await rotateSessionToken(user);
  return ended;
}

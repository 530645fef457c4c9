import "server-only";
import { unstable_update } from "@/lib/auth/config";
import type { Grant } from "@/lib/auth/claims";
import { mintGrant } from "@/lib/auth/grants";

/**
 * The one place that upgrades a live session. Auth.js has no stable server-side API for it:
 * `unstable_update` re-runs the jwt callback with trigger "update" and sets the new cookie on this
 * response. Only a freshly minted grant id is passed; the callback consumes it (lib/auth/callbacks.ts).
 * The session is upgraded, not replaced: sid and auth_time stay as they were.
 */
export async function raiseSessionClaims(user: { id: string; sid: string }, grant: Grant): Promise<void> {
  const raw = await mintGrant({ userId: user.id, sessionId: user.sid, ...grant });
  await unstable_update({ grant: raw } as never);
}

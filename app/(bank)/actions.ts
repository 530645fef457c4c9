"use server";

import { signOut } from "@/lib/auth/config";
import { getSessionUser } from "@/lib/auth/session";
import { revokeSession } from "@/lib/auth/sessions";
import { recordAudit } from "@/lib/audit/log";

export async function signOutAction() {
  const user = await getSessionUser();
  if (user) {
    await revokeSession(user.sid, "signed_out"); // the cookie alone can't come back
    await recordAudit({ userId: user.id, action: "auth.sign_out", outcome: "SUCCESS" });
  }
  await signOut({ redirectTo: "/login" });
}

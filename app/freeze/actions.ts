"use server";

import { isFormData, UNREADABLE_FORM } from "@/app/_lib/action-state";
import { freezeWithLink } from "@/lib/auth/freeze";
import { FREEZE_LINK_MESSAGES } from "@/lib/auth/freeze-messages";

export type FreezeState = { status: "idle" } | { status: "frozen" } | { status: "error"; message: string };

/**
 * "This wasn't me": a public POST, answered the same way whoever sends it. The link's token is the
 * only credential, and it can only freeze (lib/auth/freeze.ts): no session is read or made here.
 */
export async function freezeAccountAction(_prev: FreezeState, formData: FormData): Promise<FreezeState> {
  if (!isFormData(formData)) return { status: "error", message: UNREADABLE_FORM };
  const result = await freezeWithLink(formData.get("token"));
  if (result.ok) return { status: "frozen" };
  return { status: "error", message: FREEZE_LINK_MESSAGES[result.state] };
}

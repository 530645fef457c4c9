"use server";

import { revalidatePath } from "next/cache";
import { formFields, isFormData, unreadableForm, type ActionState } from "@/app/_lib/action-state";
import { operationAction } from "@/app/_lib/operation-action";
import { accountFreezeOf, accountUnfreeze } from "@/lib/auth/freeze";
import { verifyPasswordAgain } from "@/lib/auth/reauth";
import { DomainError } from "@/lib/errors";
import { markMyNoticesRead, setMyNoticePreferences } from "@/lib/notify/my-notices";

export async function markNoticesReadAction(_prev: ActionState, formData: FormData): Promise<ActionState> {
  if (!isFormData(formData)) return unreadableForm;
  const count = await markMyNoticesRead();
  revalidatePath("/settings/security");
  return {
    status: "success",
    message: count === 1 ? "1 notification marked read." : `${count} notifications marked read.`,
  };
}

/** The checked boxes are the emails wanted; unknown names are ignored (lib/notify/my-notices.ts). */
export async function setNoticePreferencesAction(_prev: ActionState, formData: FormData): Promise<ActionState> {
  // The form says what it is: anything else (a crafted post with stray fields) changes nothing.
  if (!isFormData(formData) || formData.get("form") !== "notice-preferences") return unreadableForm;
  const on = new Set(
    Object.entries(formFields(formData))
      .filter(([key, value]) => key.startsWith("email:") && value === "on")
      .map(([key]) => key.slice("email:".length)),
  );
  await setMyNoticePreferences(on);
  revalidatePath("/settings/security");
  return { status: "success", message: "Email preferences saved." };
}

/**
 * Unfreezing: the password first (with its lockout, lib/auth/reauth.ts), then the guard asks for a
 * passkey enrolled before the freeze; the intent holds only which freeze it ends, never the password.
 */
export const unfreezeAction = operationAction(accountUnfreeze, {
  input: async (fields, actor) => {
    const checked = await verifyPasswordAgain(actor.id, fields.password, "auth.reauth");
    if (!checked.ok) throw new DomainError("wrong_password", checked.message, "password");
    const freeze = await accountFreezeOf(actor.id);
    if (!freeze) throw new DomainError("not_found", "Your account isn't frozen.");
    return { frozenSince: freeze.since.toISOString() };
  },
  revalidate: ["/settings/security"],
});

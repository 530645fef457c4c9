"use server";

import { revalidatePath } from "next/cache";
import { isFormData, toErrorState, unreadableForm, type ActionState } from "@/app/_lib/action-state";
import { operationAction } from "@/app/_lib/operation-action";
import { requireUser } from "@/lib/auth/current-user";
import { bankDetailsFormValues } from "@/lib/banking/bank-details";
import { payeeAdd, removePayeeFor } from "@/lib/banking/payees";
import { setFlash } from "@/lib/flash-server";

export const addPayeeAction = operationAction(payeeAdd, {
  keep: (formData) =>
    bankDetailsFormValues(
      Object.fromEntries([...formData.entries()].filter((e): e is [string, string] => typeof e[1] === "string")),
    ),
  message: (payee) => `${payee.name} was added to your payees.`,
  revalidate: ["/payees"],
});

/** Removing a payee needs no step-up (it only protects); the session and ownership are checked here and in lib/. */
export async function removePayeeAction(_prev: ActionState, formData: FormData): Promise<ActionState> {
  if (!isFormData(formData)) return unreadableForm;
  try {
    await removePayeeFor(await requireUser(), formData.get("payeeId"));
  } catch (err) {
    return toErrorState(err, {});
  }
  // The row (and so the form's state) goes away with the payee, so the toast travels as a flash.
  await setFlash("payee.removed");
  revalidatePath("/payees");
  return { status: "success", message: "Payee removed." };
}

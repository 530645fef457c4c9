"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { StepUpRequired } from "@/lib/assurance/guard";
import { bankDetailsFormValues } from "@/lib/banking/bank-details";
import { addPayee, removePayee } from "@/lib/banking/payees";
import { setFlash } from "@/lib/flash-server";
import { type ActionState, formFields, isFormData, stepUpPath, toErrorState, unreadableForm } from "@/lib/errors";

export async function addPayeeAction(_prev: ActionState, formData: FormData): Promise<ActionState> {
  if (!isFormData(formData)) return unreadableForm;
  const fields = formFields(formData);
  let stepUp: string | null = null;
  try {
    await addPayee(fields);
  } catch (err) {
    if (!(err instanceof StepUpRequired)) return toErrorState(err, bankDetailsFormValues(fields));
    stepUp = stepUpPath(err.intentId);
  }
  if (stepUp) redirect(stepUp);
  revalidatePath("/payees");
  return { status: "success", message: `${bankDetailsFormValues(fields).name.trim()} was added to your payees.` };
}

export async function removePayeeAction(_prev: ActionState, formData: FormData): Promise<ActionState> {
  if (!isFormData(formData)) return unreadableForm;
  try {
    await removePayee(formData.get("payeeId"));
  } catch (err) {
    return toErrorState(err, {});
  }
  // The row (and so the form's state) goes away with the payee, so the toast travels as a flash.
  await setFlash("payee.removed");
  revalidatePath("/payees");
  return { status: "success", message: "Payee removed." };
}

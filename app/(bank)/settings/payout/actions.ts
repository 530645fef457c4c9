"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { StepUpRequired } from "@/lib/assurance/guard";
import { bankDetailsFormValues } from "@/lib/banking/bank-details";
import { setPayoutDestination } from "@/lib/banking/payout";
import { type ActionState, formFields, isFormData, stepUpPath, toErrorState, unreadableForm } from "@/lib/errors";

export async function setPayoutAction(_prev: ActionState, formData: FormData): Promise<ActionState> {
  if (!isFormData(formData)) return unreadableForm;
  const fields = formFields(formData);
  let stepUp: string | null = null;
  try {
    await setPayoutDestination(fields);
  } catch (err) {
    if (!(err instanceof StepUpRequired)) return toErrorState(err, bankDetailsFormValues(fields));
    stepUp = stepUpPath(err.intentId);
  }
  if (stepUp) redirect(stepUp);
  revalidatePath("/settings/payout");
  return { status: "success", message: "Your payout destination was updated." };
}

"use server";

import { revalidatePath } from "next/cache";
import { bankDetailsFormValues } from "@/lib/banking/bank-details";
import { setPayoutDestination } from "@/lib/banking/payout";
import { formFields, toErrorState, type ActionState } from "@/lib/errors";

export async function setPayoutAction(_prev: ActionState, formData: FormData): Promise<ActionState> {
  const fields = formFields(formData);
  try {
    await setPayoutDestination(fields);
  } catch (err) {
    return toErrorState(err, bankDetailsFormValues(fields));
  }
  revalidatePath("/settings/payout");
  return { status: "success", message: "Your payout destination was updated." };
}

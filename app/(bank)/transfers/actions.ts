"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { StepUpRequired } from "@/lib/assurance/guard";
import { createTransfer } from "@/lib/banking/transfers";
import { setFlash } from "@/lib/flash-server";
import { type ActionState, formFields, isFormData, stepUpPath, toErrorState, unreadableForm } from "@/lib/errors";

/** Thin: createTransfer checks the session, ownership, every rule and the assurance policy itself. */
export async function createTransferAction(_prev: ActionState, formData: FormData): Promise<ActionState> {
  if (!isFormData(formData)) return unreadableForm;
  const fields = formFields(formData);
  let next: string;
  try {
    next = `/transfers/${(await createTransfer(fields)).id}`;
    await setFlash("transfer.sent");
  } catch (err) {
    if (!(err instanceof StepUpRequired)) {
      const { fromAccountId = "", to = "", amount = "", memo = "" } = fields;
      return toErrorState(err, { fromAccountId, to, amount: amount.slice(0, 64), memo: memo.slice(0, 200) });
    }
    next = stepUpPath(err.intentId); // the validated transfer waits there as a pending intent
  }
  revalidatePath("/dashboard");
  redirect(next);
}

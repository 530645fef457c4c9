"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { createTransfer } from "@/lib/banking/transfers";
import { formFields, toErrorState, type ActionState } from "@/lib/errors";

/** Thin: createTransfer checks the session, ownership and every rule itself. */
export async function createTransferAction(_prev: ActionState, formData: FormData): Promise<ActionState> {
  const fields = formFields(formData);
  let transferId: string;
  try {
    transferId = (await createTransfer(fields)).id;
  } catch (err) {
    const { fromAccountId = "", to = "", amount = "", memo = "" } = fields;
    return toErrorState(err, { fromAccountId, to, amount: amount.slice(0, 64), memo: memo.slice(0, 200) });
  }
  revalidatePath("/dashboard");
  redirect(`/transfers/${transferId}`);
}

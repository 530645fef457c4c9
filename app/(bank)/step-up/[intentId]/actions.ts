"use server";

import { redirect } from "next/navigation";
import { isFormData } from "@/lib/errors";
import { beginStepUp, cancelStepUp, completeStepUp, type BeginResult, type CompleteResult } from "@/lib/assurance/step-up";

/** Each is a public endpoint: the lib/ functions check the session, the intent's owner and session. */
export async function beginStepUpAction(intentId: string): Promise<BeginResult> {
  return beginStepUp(intentId);
}

export async function completeStepUpAction(intentId: string, response: unknown): Promise<CompleteResult> {
  return completeStepUp(intentId, response);
}

/** Not found, or not a form: back to the dashboard (cancelStepUp decides), never a crash. */
export async function cancelStepUpAction(formData: FormData): Promise<void> {
  redirect(await cancelStepUp(isFormData(formData) ? formData.get("intentId") : null));
}

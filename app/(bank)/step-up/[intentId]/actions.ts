"use server";

import { redirect } from "next/navigation";
import { beginStepUp, cancelStepUp, completeStepUp, type BeginResult, type CompleteResult } from "@/lib/assurance/step-up";

/** Each is a public endpoint: the lib/ functions check the session, the intent's owner and session. */
export async function beginStepUpAction(intentId: string): Promise<BeginResult> {
  return beginStepUp(intentId);
}

export async function completeStepUpAction(intentId: string, response: unknown): Promise<CompleteResult> {
  return completeStepUp(intentId, response);
}

export async function cancelStepUpAction(formData: FormData): Promise<void> {
  redirect(await cancelStepUp(formData.get("intentId")));
}

"use server";

import { redirect } from "next/navigation";
import { isFormData } from "@/lib/errors";
import { type FlashKey } from "@/lib/flash";
import { setFlash } from "@/lib/flash-server";
import { beginStepUp, cancelStepUp, completeStepUp, type BeginResult, type CompleteResult } from "@/lib/assurance/step-up";

/** Each is a public endpoint: the lib/ functions check the session, the intent's owner and session. */
export async function beginStepUpAction(intentId: string): Promise<BeginResult> {
  return beginStepUp(intentId);
}

/** What the toast on the next page says once a resumed action is done (grace-window actions show their own result). */
const DONE: Partial<Record<Extract<CompleteResult, { ok: true }>["action"], FlashKey>> = {
  "transfer.own": "transfer.sent",
  "transfer.payee": "transfer.sent",
  "payee.add": "payee.added",
  "payout.change": "payout.saved",
  "passkey.remove": "passkey.removed",
  "password.change": "password.changed",
};

export async function completeStepUpAction(intentId: string, response: unknown): Promise<CompleteResult> {
  const result = await completeStepUp(intentId, response);
  const flash = result.ok ? DONE[result.action] : undefined;
  if (flash) await setFlash(flash);
  return result;
}

/** Not found, or not a form: back to the dashboard (cancelStepUp decides), never a crash. */
export async function cancelStepUpAction(formData: FormData): Promise<void> {
  const back = await cancelStepUp(isFormData(formData) ? formData.get("intentId") : null);
  await setFlash("step-up.cancelled");
  redirect(back);
}

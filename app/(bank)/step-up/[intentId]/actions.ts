"use server";

import { redirect } from "next/navigation";
import { isFormData } from "@/app/_lib/action-state";
import { beginSsoStepUpFor } from "@/lib/auth/sso-step-up";
import { requireUser } from "@/lib/auth/current-user";
import { env } from "@/lib/env";
import { setFlash } from "@/lib/flash-server";
import {
  beginStepUp,
  cancelStepUp,
  completeStepUp,
  type BeginResult,
  type CompleteResult,
} from "@/lib/assurance/step-up";

/** Each is a public endpoint: the lib/ functions check the session, the intent's owner and session. */
/** `ceremony` "spc": the browser has the payment dialog (the server still decides whether to use it). */
export async function beginStepUpAction(intentId: string, ceremony?: unknown): Promise<BeginResult> {
  return beginStepUp(intentId, ceremony);
}

export async function completeStepUpAction(intentId: string, response: unknown): Promise<CompleteResult> {
  const result = await completeStepUp(intentId, response);
  // The operation's own confirmation, on the page it resumed to.
  if (result.ok) await setFlash(result.action);
  return result;
}

/** Off to the IdP to confirm this intent (an SSO customer, when the IdP is trusted for step-up). */
export async function beginSsoStepUpAction(formData: FormData): Promise<void> {
  const intentId = isFormData(formData) ? formData.get("intentId") : null;
  const begun = await beginSsoStepUpFor(await requireUser(), intentId, env.APP_ORIGINS[0]);
  redirect(
    begun.ok
      ? begun.url
      : typeof intentId === "string" && /^[A-Za-z0-9_-]{10,64}$/.test(intentId)
        ? `/step-up/${intentId}?sso=${begun.problem}`
        : "/dashboard",
  );
}

/** Not found, or not a form: back to the dashboard (cancelStepUp decides), never a crash. */
export async function cancelStepUpAction(formData: FormData): Promise<void> {
  const back = await cancelStepUp(isFormData(formData) ? formData.get("intentId") : null);
  await setFlash("step-up.cancelled");
  redirect(back);
}

/** Edit: the same cancellation, without its toast, back to the form with what was typed. */
export async function editStepUpAction(formData: FormData): Promise<void> {
  redirect(await cancelStepUp(isFormData(formData) ? formData.get("intentId") : null));
}

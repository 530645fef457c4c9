"use server";

import { redirect } from "next/navigation";
import { StepUpRequired } from "@/lib/assurance/guard";
import { revealAccountNumber } from "@/lib/banking/accounts";
import { DomainError, isFormData, stepUpPath, UNREADABLE_FORM } from "@/lib/errors";

export type RevealState = { status: "hidden" } | { status: "shown"; number: string } | { status: "error"; message: string };

/** Returns the full number to this user only; revealAccountNumber checks session, ownership and policy. */
export async function revealAction(_prev: RevealState, formData: FormData): Promise<RevealState> {
  if (!isFormData(formData)) return { status: "error", message: UNREADABLE_FORM };
  let stepUp: string;
  try {
    return { status: "shown", number: await revealAccountNumber(formData.get("accountId")) };
  } catch (err) {
    if (err instanceof DomainError) return { status: "error", message: err.userMessage };
    if (!(err instanceof StepUpRequired)) throw err;
    stepUp = stepUpPath(err.intentId);
  }
  redirect(stepUp);
}

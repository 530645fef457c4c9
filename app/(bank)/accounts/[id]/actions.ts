"use server";

import { revealAccountNumber } from "@/lib/banking/accounts";
import { DomainError } from "@/lib/errors";

export type RevealState = { status: "hidden" } | { status: "shown"; number: string } | { status: "error"; message: string };

/** Returns the full number to this user only (revealAccountNumber checks the session and ownership). */
export async function revealAction(_prev: RevealState, formData: FormData): Promise<RevealState> {
  try {
    return { status: "shown", number: await revealAccountNumber(formData.get("accountId")) };
  } catch (err) {
    if (err instanceof DomainError) return { status: "error", message: err.userMessage };
    throw err;
  }
}

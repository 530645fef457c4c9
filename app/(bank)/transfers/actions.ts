"use server";

import { operationAction, reviewAction } from "@/app/_lib/operation-action";
import { transfer } from "@/lib/banking/transfers";

/** The review before sending: every check the send makes, nothing written (the form's first step). */
export const reviewTransferAction = reviewAction(transfer, {
  keep: ["fromAccountId", "to", "amount", "memo", "idempotencyKey"],
});

/** The pipeline checks the session, ownership, every rule and the assurance policy; the receipt follows. */
export const createTransferAction = operationAction(transfer, {
  keep: ["fromAccountId", "to", "amount", "memo"],
  then: "redirect",
  revalidate: ["/dashboard"],
});

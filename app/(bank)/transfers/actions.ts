"use server";

import { operationAction } from "@/app/_lib/operation-action";
import { transfer } from "@/lib/banking/transfers";

/** The pipeline checks the session, ownership, every rule and the assurance policy; the receipt follows. */
export const createTransferAction = operationAction(transfer, {
  keep: ["fromAccountId", "to", "amount", "memo"],
  then: "redirect",
  revalidate: ["/dashboard"],
});

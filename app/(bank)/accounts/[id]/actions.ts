"use server";

import { operationAction } from "@/app/_lib/operation-action";
import { accountReveal } from "@/lib/banking/accounts";

/** Shows the full number to this customer only: the pipeline checks session, ownership and policy. */
export const revealAction = operationAction(accountReveal, { show: (number) => number });

"use server";

import { operationAction } from "@/app/_lib/operation-action";
import { bankDetailsFormValues } from "@/lib/banking/bank-details";
import { payoutChange } from "@/lib/banking/payout";

export const setPayoutAction = operationAction(payoutChange, {
  keep: (formData) =>
    bankDetailsFormValues(
      Object.fromEntries([...formData.entries()].filter((e): e is [string, string] => typeof e[1] === "string")),
    ),
  message: () => "Your payout destination was updated.",
  revalidate: ["/settings/payout"],
});

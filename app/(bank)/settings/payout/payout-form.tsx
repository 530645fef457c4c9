"use client";

import { useActionState } from "react";
import { RequiresPasskey } from "@/app/_components/badge";
import { useSuccessToast } from "@/app/_components/toaster";
import { BankDetailsFields } from "@/app/_components/bank-details-fields";
import { FormAlert, FormSuccess } from "@/app/_components/form-alert";
import { PendingFieldset } from "@/app/_components/pending-fieldset";
import { SubmitButton } from "@/app/_components/submit-button";
import { idle } from "@/app/_lib/action-state";
import { setPayoutAction } from "./actions";

export function PayoutForm() {
  const [state, action] = useActionState(setPayoutAction, idle);
  useSuccessToast(state);
  const failed = state.status === "error" ? state : null;
  return (
    <form
      key={state.status === "success" ? "saved" : "form"}
      action={action}
      className="rounded-2xl border border-slate-200 bg-white p-6 shadow-sm"
      noValidate
    >
      <PendingFieldset className="space-y-4">
        <FormAlert message={failed?.message} fieldErrors={failed?.fieldErrors} />
        <FormSuccess message={state.status === "success" ? state.message : null} />
        <BankDetailsFields
          key={failed?.values.scheme || "iban"}
          nameLabel="Account holder"
          values={failed?.values ?? {}}
          errors={failed?.fieldErrors ?? {}}
        />
        <p className="flex flex-wrap items-center gap-2 text-sm text-slate-600">
          <RequiresPasskey /> You&apos;ll confirm the change with your passkey.
        </p>
        <SubmitButton pendingLabel="Saving…">Save payout destination</SubmitButton>
      </PendingFieldset>
    </form>
  );
}

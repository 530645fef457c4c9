"use client";

import { useActionState } from "react";
import { useSuccessToast } from "@/app/_components/toaster";
import { BankDetailsFields } from "@/app/_components/bank-details-fields";
import { FormAlert, FormSuccess } from "@/app/_components/form-alert";
import { PendingFieldset } from "@/app/_components/pending-fieldset";
import { SubmitButton } from "@/app/_components/submit-button";
import { idle } from "@/lib/errors";
import { addPayeeAction, removePayeeAction } from "./actions";

export function AddPayeeForm() {
  const [state, action] = useActionState(addPayeeAction, idle);
  useSuccessToast(state);
  const failed = state.status === "error" ? state : null;
  return (
    // A successful add re-keys the form, which clears it for the next payee.
    <form key={state.status === "success" ? state.message : "form"} action={action} className="rounded-2xl border border-slate-200 bg-white p-6 shadow-sm" noValidate>
      <PendingFieldset className="space-y-4">
        <FormAlert message={failed?.message} />
        <FormSuccess message={state.status === "success" ? state.message : null} />
        <BankDetailsFields key={failed?.values.scheme || "iban"} nameLabel="Payee name" values={failed?.values ?? {}} errors={failed?.fieldErrors ?? {}} />
        <SubmitButton pendingLabel="Adding…">Add payee</SubmitButton>
      </PendingFieldset>
    </form>
  );
}

export function RemovePayeeButton({ payeeId, name }: { payeeId: string; name: string }) {
  const [state, action, pending] = useActionState(removePayeeAction, idle);
  useSuccessToast(state);
  return (
    <form action={action}>
      <input type="hidden" name="payeeId" value={payeeId} />
      <button type="submit" disabled={pending} aria-label={`Remove ${name}`} className="rounded-lg border border-slate-300 px-3 py-1.5 text-sm font-medium hover:bg-slate-100 disabled:opacity-60">
        {pending ? "Removing…" : "Remove"}
      </button>
      {state.status === "error" && <p className="mt-1 text-sm text-red-700">{state.message}</p>}
    </form>
  );
}

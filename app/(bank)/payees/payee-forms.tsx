"use client";

import { useActionState, useState } from "react";
import { RequiresPasskey } from "@/app/_components/badge";
import { buttonClass } from "@/app/_components/button";
import { Dialog } from "@/app/_components/dialog";
import { useSuccessToast } from "@/app/_components/toaster";
import { BankDetailsFields } from "@/app/_components/bank-details-fields";
import { FormAlert, FormSuccess } from "@/app/_components/form-alert";
import { PendingFieldset } from "@/app/_components/pending-fieldset";
import { SubmitButton } from "@/app/_components/submit-button";
import { idle } from "@/app/_lib/action-state";
import { addPayeeAction, removePayeeAction } from "./actions";

export function AddPayeeForm() {
  const [state, action] = useActionState(addPayeeAction, idle);
  useSuccessToast(state);
  const failed = state.status === "error" ? state : null;
  return (
    // A successful add re-keys the form, which clears it for the next payee.
    <form
      key={state.status === "success" ? state.message : "form"}
      action={action}
      className="rounded-2xl border border-slate-200 bg-white p-6 shadow-sm"
      noValidate
    >
      <PendingFieldset className="space-y-4">
        <FormAlert message={failed?.message} fieldErrors={failed?.fieldErrors} />
        <FormSuccess message={state.status === "success" ? state.message : null} />
        <BankDetailsFields
          key={failed?.values.scheme || "iban"}
          nameLabel="Payee name"
          values={failed?.values ?? {}}
          errors={failed?.fieldErrors ?? {}}
        />
        <p className="flex flex-wrap items-center gap-2 text-sm text-slate-600">
          <RequiresPasskey /> You&apos;ll confirm a new payee with your passkey.
        </p>
        <SubmitButton pendingLabel="Adding…">Add payee</SubmitButton>
      </PendingFieldset>
    </form>
  );
}

/** Removing can't be undone without a passkey (adding a payee needs one), so it asks first, in a dialog. */
export function RemovePayeeButton({ payeeId, name }: { payeeId: string; name: string }) {
  const [state, action, pending] = useActionState(removePayeeAction, idle);
  const [asking, setAsking] = useState(false);
  return (
    <div>
      <button
        type="button"
        onClick={() => setAsking(true)}
        disabled={pending}
        aria-label={`Remove ${name}`}
        className={buttonClass("secondary", "sm")}
      >
        {pending ? "Removing…" : "Remove"}
      </button>
      <Dialog
        open={asking}
        onClose={() => setAsking(false)}
        title={`Remove ${name}?`}
        description={
          <>
            You won&apos;t be able to pay {name} until you add them again, which asks for your passkey. Past payments
            stay in your history.
          </>
        }
      >
        <form action={action} onSubmit={() => setAsking(false)} className="flex flex-wrap justify-end gap-2">
          <input type="hidden" name="payeeId" value={payeeId} />
          <button type="button" onClick={() => setAsking(false)} className={buttonClass("secondary", "sm")} autoFocus>
            Keep payee
          </button>
          <button type="submit" className={buttonClass("dangerSolid", "sm")}>
            Remove payee
          </button>
        </form>
      </Dialog>
      {state.status === "error" && <p className="mt-1 text-sm text-red-700">{state.message}</p>}
    </div>
  );
}

"use client";

import { useActionState } from "react";
import { RequiresPasskey } from "@/app/_components/badge";
import { Field } from "@/app/_components/field";
import { FormAlert } from "@/app/_components/form-alert";
import { PendingFieldset } from "@/app/_components/pending-fieldset";
import { SubmitButton } from "@/app/_components/submit-button";
import { idle } from "@/app/_lib/action-state";
import { unfreezeAction } from "./notice-actions";

/** The password is never sent back: after an error the field starts empty again. */
export function UnfreezeForm() {
  const [state, action] = useActionState(unfreezeAction, idle);
  const failed = state.status === "error" ? state : null;
  return (
    <form action={action} noValidate>
      <PendingFieldset className="space-y-4">
        <p className="text-sm text-slate-600">
          <RequiresPasskey className="mr-1" />
          To unfreeze, confirm your password, then a passkey you had before the freeze. Your account works again 24
          hours later, and we&apos;ll email you.
        </p>
        <FormAlert message={failed?.message} fieldErrors={failed?.fieldErrors} />
        <Field
          name="password"
          label="Password"
          type="password"
          autoComplete="current-password"
          error={failed?.fieldErrors.password}
        />
        <SubmitButton pendingLabel="Checking…">Unfreeze my account</SubmitButton>
      </PendingFieldset>
    </form>
  );
}

"use client";

import { useActionState } from "react";
import { RequiresPasskey } from "@/app/_components/badge";
import { Field } from "@/app/_components/field";
import { FormAlert, FormSuccess } from "@/app/_components/form-alert";
import { PendingFieldset } from "@/app/_components/pending-fieldset";
import { SubmitButton } from "@/app/_components/submit-button";
import { useSuccessToast } from "@/app/_components/toaster";
import { idle } from "@/app/_lib/action-state";
import { changeLimitAction } from "./actions";

export function LimitForm({ current }: { current: string }) {
  const [state, action] = useActionState(changeLimitAction, idle);
  useSuccessToast(state);
  const failed = state.status === "error" ? state : null;
  return (
    <form
      key={state.status === "success" ? "saved" : "form"}
      action={action}
      className="rounded-2xl border border-slate-200 bg-white p-6 shadow-sm"
      noValidate
      data-testid="limit-form"
    >
      <PendingFieldset className="space-y-4">
        <FormAlert message={failed && !failed.fieldErrors.limit ? failed.message : undefined} />
        <FormSuccess message={state.status === "success" ? state.message : null} />
        <Field
          name="limit"
          label="New daily limit (USD)"
          inputMode="decimal"
          defaultValue={failed?.values.limit ?? current}
          error={failed?.fieldErrors.limit}
        />
        <p className="flex flex-wrap items-center gap-2 text-sm text-slate-600">
          <RequiresPasskey /> Raising it asks for your passkey. Lowering it never does.
        </p>
        <SubmitButton pendingLabel="Saving…">Save daily limit</SubmitButton>
      </PendingFieldset>
    </form>
  );
}

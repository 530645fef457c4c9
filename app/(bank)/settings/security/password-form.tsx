"use client";

import { useActionState } from "react";
import { useSuccessToast } from "@/app/_components/toaster";
import { Field } from "@/app/_components/field";
import { FormAlert, FormSuccess } from "@/app/_components/form-alert";
import { PendingFieldset } from "@/app/_components/pending-fieldset";
import { SubmitButton } from "@/app/_components/submit-button";
import { PASSWORD_MIN_LENGTH } from "@/lib/auth/password-rules";
import { idle } from "@/app/_lib/action-state";
import { changePasswordAction } from "./actions";
import { RequiresPasskey } from "@/app/_components/badge";

/** Passwords are never sent back: after an error both fields start empty again. */
export function ChangePasswordForm() {
  const [state, action] = useActionState(changePasswordAction, idle);
  useSuccessToast(state);
  const failed = state.status === "error" ? state : null;
  return (
    <form
      key={state.status === "success" ? "done" : "form"}
      action={action}
      className="rounded-2xl border border-slate-200 bg-white p-5"
      noValidate
    >
      <PendingFieldset className="space-y-4">
        <p className="text-sm text-slate-600">
          <RequiresPasskey className="mr-1" />
          You&apos;ll confirm with your passkey unless you used it in the last 5 minutes.
        </p>
        <FormAlert message={failed?.message} fieldErrors={failed?.fieldErrors} />
        <FormSuccess message={state.status === "success" ? state.message : null} />
        <Field
          name="currentPassword"
          label="Current password"
          type="password"
          autoComplete="current-password"
          error={failed?.fieldErrors.currentPassword}
        />
        <Field
          name="newPassword"
          label="New password"
          type="password"
          autoComplete="new-password"
          hint={`At least ${PASSWORD_MIN_LENGTH} characters. A few words only you would put together make a strong one: not a famous phrase like “correct horse battery staple”.`}
          error={failed?.fieldErrors.newPassword}
        />
        <SubmitButton pendingLabel="Changing…">Change password</SubmitButton>
      </PendingFieldset>
    </form>
  );
}

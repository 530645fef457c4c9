"use client";

import { useActionState } from "react";
import { Field } from "@/app/_components/field";
import { FormAlert } from "@/app/_components/form-alert";
import { PendingFieldset } from "@/app/_components/pending-fieldset";
import { SubmitButton } from "@/app/_components/submit-button";
import { idle } from "@/app/_lib/action-state";
import { recoverySignInAction } from "../../actions";

export function RecoverForm() {
  const [state, action] = useActionState(recoverySignInAction, idle);
  const values = state.status === "error" ? state.values : {};
  return (
    <form action={action} noValidate>
      <PendingFieldset className="space-y-4">
        <FormAlert message={state.status === "error" ? state.message : undefined} />
        <Field
          name="email"
          label="Email"
          type="email"
          autoComplete="username"
          required
          defaultValue={values.email}
          key={`email-${values.email ?? ""}`}
        />
        <Field name="password" label="Password" type="password" autoComplete="current-password" required />
        <Field
          name="code"
          label="Recovery code"
          autoComplete="one-time-code"
          autoCapitalize="characters"
          spellCheck={false}
          placeholder="XXXX-XXXX-XXXX"
          required
        />
        <SubmitButton pendingLabel="Checking…">Sign in with recovery code</SubmitButton>
      </PendingFieldset>
    </form>
  );
}

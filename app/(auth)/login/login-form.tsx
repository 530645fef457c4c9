"use client";

import { useActionState } from "react";
import { Field } from "@/app/_components/field";
import { FormAlert } from "@/app/_components/form-alert";
import { PendingFieldset } from "@/app/_components/pending-fieldset";
import { SubmitButton } from "@/app/_components/submit-button";
import { idle } from "@/app/_lib/action-state";
import { signInAction } from "../actions";

export function LoginForm({ next }: { next: string }) {
  const [state, action] = useActionState(signInAction, idle);
  const values = state.status === "error" ? state.values : {};
  return (
    <form action={action} noValidate>
      <PendingFieldset className="space-y-4">
        <FormAlert message={state.status === "error" ? state.message : undefined} />
        <input type="hidden" name="next" value={next} />
        <Field
          name="email"
          label="Email"
          type="email"
          autoComplete="username webauthn"
          required
          defaultValue={values.email}
          key={`email-${values.email ?? ""}`}
        />
        <Field name="password" label="Password" type="password" autoComplete="current-password" required />
        <SubmitButton pendingLabel="Signing in…">Sign in</SubmitButton>
      </PendingFieldset>
    </form>
  );
}

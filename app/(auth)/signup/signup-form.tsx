"use client";

import { useActionState } from "react";
import { Field } from "@/app/_components/field";
import { FormAlert } from "@/app/_components/form-alert";
import { PendingFieldset } from "@/app/_components/pending-fieldset";
import { SubmitButton } from "@/app/_components/submit-button";
import { idle } from "@/app/_lib/action-state";
import { PASSWORD_MIN_LENGTH } from "@/lib/auth/password-rules";
import { signUpAction } from "../actions";

export function SignUpForm() {
  const [state, action] = useActionState(signUpAction, idle);
  const failed = state.status === "error" ? state : null;
  const values = failed?.values ?? {};
  // Re-key uncontrolled inputs so React shows the values returned with an error.
  const k = (name: string) => `${name}-${values[name] ?? ""}`;
  return (
    <form action={action} noValidate>
      <PendingFieldset className="space-y-4">
        <FormAlert message={failed?.message} fieldErrors={failed?.fieldErrors} />
        <Field
          name="name"
          label="Full name"
          autoComplete="name"
          required
          defaultValue={values.name}
          key={k("name")}
          error={failed?.fieldErrors.name}
        />
        <Field
          name="email"
          label="Email"
          type="email"
          autoComplete="email"
          required
          defaultValue={values.email}
          key={k("email")}
          error={failed?.fieldErrors.email}
        />
        <Field
          name="password"
          label="Password"
          type="password"
          autoComplete="new-password"
          required
          hint={`At least ${PASSWORD_MIN_LENGTH} characters. A few words only you would put together make a strong password: not a famous phrase like “correct horse battery staple”.`}
          error={failed?.fieldErrors.password}
        />
        <SubmitButton pendingLabel="Opening your account…">Open account</SubmitButton>
      </PendingFieldset>
    </form>
  );
}

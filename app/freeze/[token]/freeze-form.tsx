"use client";

import { useActionState } from "react";
import Link from "next/link";
import { FormAlert } from "@/app/_components/form-alert";
import { PendingFieldset } from "@/app/_components/pending-fieldset";
import { SubmitButton } from "@/app/_components/submit-button";
import { FROZEN_EFFECTS } from "@/lib/auth/freeze-messages";
import { freezeAccountAction, type FreezeState } from "../actions";

/** One confirmation, then the account is frozen; the answer replaces the form. */
export function FreezeForm({ token }: { token: string }) {
  const [state, action] = useActionState(freezeAccountAction, { status: "idle" } as FreezeState);
  if (state.status === "frozen") return <Frozen />;
  return (
    <form action={action} noValidate>
      <PendingFieldset className="space-y-4">
        <FormAlert message={state.status === "error" ? state.message : undefined} />
        <input type="hidden" name="token" value={token} />
        <SubmitButton pendingLabel="Freezing…">Yes, freeze my account</SubmitButton>
      </PendingFieldset>
    </form>
  );
}

export function Frozen() {
  return (
    <div className="space-y-4" data-testid="account-frozen-now" role="status">
      <p className="font-medium text-emerald-800">Your account is frozen.</p>
      <ul className="list-disc space-y-1 pl-5 text-sm text-slate-700">
        {FROZEN_EFFECTS.map((line) => (
          <li key={line}>{line}</li>
        ))}
      </ul>
      <p className="text-sm text-slate-700">
        To unfreeze it, sign in, go to Security, and confirm with your password and a passkey you had before the freeze.
        It works again 24 hours later. If someone changed your password, contact support.
      </p>
      <Link href="/login" className="text-sm font-medium text-accent-700 underline">
        Go to sign-in
      </Link>
    </div>
  );
}

"use client";

import { useActionState, useEffect, useState } from "react";
import { ShownOnceActions } from "@/app/_components/shown-once";
import { showToast } from "@/app/_components/toaster";
import { FormAlert } from "@/app/_components/form-alert";
import { PendingFieldset } from "@/app/_components/pending-fieldset";
import { SubmitButton } from "@/app/_components/submit-button";
import { idle, type ActionState } from "@/app/_lib/action-state";
import { regenerateRecoveryCodesAction } from "./actions";
import { BRAND } from "@/lib/brand";
import { RequiresPasskey } from "@/app/_components/badge";

/**
 * Recovery codes, shown once: the server keeps only their hashes, so this is the only time anyone can
 * read them. The list stays until the customer says they've saved it.
 */
export function RecoveryCodeList({ codes, onDone }: { codes: string[]; onDone: () => void }) {
  return (
    <div className="space-y-3 rounded-2xl border border-amber-300 bg-amber-50 p-5" data-testid="recovery-codes">
      <h3 className="font-semibold text-amber-950">Save your recovery codes</h3>
      <p className="text-sm text-amber-950">
        If you lose every passkey, sign in with your password and one of these codes. Each works once. Keep them somewhere safe, away from
        this device: {BRAND.name} can&apos;t show them again.
      </p>
      <ol className="grid grid-cols-2 gap-2 font-mono text-sm" aria-label="Recovery codes">
        {codes.map((code) => (
          <li key={code} className="rounded bg-white px-2 py-1 text-center tracking-wider" data-testid="recovery-code">
            {code}
          </li>
        ))}
      </ol>
      <ShownOnceActions copyText={codes.join("\n")} copyLabel="Copy all" savedLabel="I've saved these codes" onDone={onDone} />
    </div>
  );
}

/** How many codes are left, and new ones under a passkey step-up (which invalidates the old ones). */
export function RecoverySection({ unused, issued, confirmed }: { unused: number; issued: boolean; confirmed: boolean }) {
  const [state, action] = useActionState<ActionState<string[]>, FormData>(regenerateRecoveryCodesAction, idle);
  const [hidden, setHidden] = useState(false);
  useEffect(() => {
    if (state.status === "success") showToast(state.message);
  }, [state]);
  if (state.status === "success" && state.result && !hidden) return <RecoveryCodeList codes={state.result} onDone={() => setHidden(true)} />;
  return (
    <div className="space-y-3 rounded-2xl border border-slate-200 bg-white p-5">
      <p className="text-sm text-slate-700" data-testid="recovery-status">
        {issued ? `${unused} of 10 recovery codes left.` : "You have no recovery codes yet. They come with your first passkey."}
        {issued && unused <= 3 ? " Make new ones soon." : ""}
      </p>
      {confirmed && (
        <p role="status" className="text-sm font-medium text-emerald-800">
          Confirmed. Make your new codes within 5 minutes.
        </p>
      )}
      <form action={action}>
        <PendingFieldset className="space-y-3">
          <FormAlert message={state.status === "error" ? state.message : undefined} />
          <p className="text-sm text-slate-600">
            <RequiresPasskey className="mr-1" />
            New codes replace all the old ones.
          </p>
          <SubmitButton pendingLabel="Making codes…">Make new recovery codes</SubmitButton>
        </PendingFieldset>
      </form>
    </div>
  );
}

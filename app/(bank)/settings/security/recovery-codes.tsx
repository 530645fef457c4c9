"use client";

import { useActionState, useEffect, useRef, useState } from "react";
import { buttonClass } from "@/app/_components/button";
import { Dialog } from "@/app/_components/dialog";
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
  const text = `${BRAND.name} recovery codes\nEach code works once. Keep them somewhere safe, away from your devices.\n\n${codes.join("\n")}\n`;
  return (
    <div
      className="space-y-3 rounded-2xl border border-amber-300 bg-amber-50 p-5"
      data-testid="recovery-codes"
      data-print-area
    >
      <h3 className="font-semibold text-amber-950">Save your recovery codes</h3>
      <p className="text-sm text-amber-950">
        If you lose every passkey, sign in with your password and one of these codes. Each works once. Keep them
        somewhere safe, away from this device: {BRAND.name} can&apos;t show them again.
      </p>
      <ol className="grid grid-cols-2 gap-2 font-mono text-sm" aria-label="Recovery codes">
        {codes.map((code) => (
          <li
            key={code}
            className="rounded bg-white px-2 py-1 text-center tracking-wider whitespace-nowrap"
            data-testid="recovery-code"
          >
            {code}
          </li>
        ))}
      </ol>
      <div className="flex flex-wrap gap-2 print:hidden">
        <a
          href={`data:text/plain;charset=utf-8,${encodeURIComponent(text)}`}
          download={`${BRAND.name.toLowerCase()}-recovery-codes.txt`}
          className={buttonClass("secondary", "sm")}
        >
          Download
        </a>
        <button type="button" onClick={() => window.print()} className={buttonClass("secondary", "sm")}>
          Print
        </button>
      </div>
      <div className="print:hidden">
        <ShownOnceActions
          copyText={codes.join("\n")}
          copyLabel="Copy all"
          savedLabel="I've saved these codes"
          onDone={onDone}
        />
      </div>
    </div>
  );
}

/** How many codes are left, and new ones under a passkey step-up (which invalidates the old ones). */
export function RecoverySection({
  unused,
  issued,
  confirmed,
}: {
  unused: number;
  issued: boolean;
  confirmed: boolean;
}) {
  const [state, action] = useActionState<ActionState<string[]>, FormData>(regenerateRecoveryCodesAction, idle);
  const [hidden, setHidden] = useState(false);
  const [asking, setAsking] = useState(false);
  const form = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (state.status === "success") showToast(state.message);
  }, [state]);
  if (state.status === "success" && state.result && !hidden)
    return <RecoveryCodeList codes={state.result} onDone={() => setHidden(true)} />;
  return (
    <div className="space-y-3 rounded-2xl border border-slate-200 bg-white p-5">
      <p className="text-sm text-slate-700" data-testid="recovery-status">
        {issued
          ? `${unused} of 10 recovery codes left.`
          : "You have no recovery codes yet. They come with your first passkey."}
        {issued && unused <= 3 ? " Make new ones soon." : ""}
      </p>
      {confirmed && (
        <p role="status" className="text-sm font-medium text-emerald-800">
          Confirmed. Make your new codes within 5 minutes.
        </p>
      )}
      <form action={action} ref={form}>
        <PendingFieldset className="space-y-3">
          <FormAlert message={state.status === "error" ? state.message : undefined} />
          <p className="text-sm text-slate-600">
            <RequiresPasskey className="mr-1" />
            New codes replace all the old ones.
          </p>
          {/* Asks first when there are codes to lose; the dialog's confirm submits this form. */}
          {issued ? (
            <button type="button" onClick={() => setAsking(true)} className={buttonClass("secondary", "md")}>
              Make new recovery codes
            </button>
          ) : (
            <SubmitButton pendingLabel="Making codes…">Make new recovery codes</SubmitButton>
          )}
        </PendingFieldset>
      </form>
      <Dialog
        open={asking}
        onClose={() => setAsking(false)}
        title="Replace your recovery codes?"
        description={`Your ${unused} unused code${unused === 1 ? "" : "s"} will stop working at once, including any you printed or saved. You'll get ten new ones to save.`}
      >
        <div className="flex flex-wrap justify-end gap-2">
          <button type="button" onClick={() => setAsking(false)} className={buttonClass("secondary", "sm")} autoFocus>
            Keep my codes
          </button>
          <button
            type="button"
            onClick={() => {
              setAsking(false);
              form.current?.requestSubmit();
            }}
            className={buttonClass("primary", "sm")}
          >
            Replace them
          </button>
        </div>
      </Dialog>
    </div>
  );
}

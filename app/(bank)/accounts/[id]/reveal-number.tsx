"use client";

import { useActionState, useEffect, useState } from "react";
import { useSubmitOnce } from "@/app/_components/use-submit-once";
import { RequiresPasskey } from "@/app/_components/badge";
import { buttonClass } from "@/app/_components/button";
import { BRAND } from "@/lib/brand";
import { idle, type ActionState } from "@/app/_lib/action-state";
import { revealAction } from "./actions";

/**
 * Masked by default; Reveal asks the server (under the "account.reveal" policy). Once shown, the
 * number can be copied, and hidden again (which forgets it here: showing it again asks the server).
 * The routing number is public, so it is always shown.
 */
export function RevealNumber({
  accountId,
  last4,
  autoReveal,
}: {
  accountId: string;
  last4: string;
  autoReveal: boolean;
}) {
  const [state, action, pending] = useActionState<ActionState<string>, FormData>(revealAction, idle);
  const [hiddenAgain, setHiddenAgain] = useState(false);
  const [copied, setCopied] = useState(false);
  const form = useSubmitOnce(autoReveal); // back from step-up for a reveal: finish what the user asked for
  // …and only once: the ?reveal=1 it came back with leaves the address, so a reload shows the masked number.
  useEffect(() => {
    if (autoReveal) window.history.replaceState(null, "", window.location.pathname);
  }, [autoReveal]);
  const shown = state.status === "success" && state.result && !hiddenAgain ? state.result : null;
  return (
    <form
      ref={form}
      action={action}
      onSubmit={() => {
        setHiddenAgain(false);
        setCopied(false);
      }}
      className="space-y-1"
    >
      <input type="hidden" name="accountId" value={accountId} />
      <dl className="grid grid-cols-[auto_1fr] items-baseline gap-x-3 text-sm">
        <dt className="text-slate-600">Routing number</dt>
        <dd className="font-mono tracking-wider" data-testid="routing-number">
          {BRAND.routingNumber}
        </dd>
        <dt className="text-slate-600">Account number</dt>
        <dd className="font-mono text-lg tracking-wider whitespace-nowrap" data-testid="account-number">
          {shown ?? `•••• ${last4}`}
        </dd>
      </dl>
      <div className="flex flex-wrap items-center gap-2">
        {shown ? (
          <>
            <button
              type="button"
              onClick={() =>
                navigator.clipboard.writeText(shown).then(
                  () => setCopied(true),
                  () => setCopied(false),
                )
              }
              className={buttonClass("secondary", "sm")}
            >
              {copied ? "Copied" : "Copy number"}
            </button>
            <button type="button" onClick={() => setHiddenAgain(true)} className={buttonClass("secondary", "sm")}>
              Hide
            </button>
          </>
        ) : (
          <>
            <button type="submit" disabled={pending} className={buttonClass("secondary", "sm", "disabled:opacity-60")}>
              {pending ? "Revealing…" : "Reveal"}
            </button>
            <RequiresPasskey />
          </>
        )}
        {state.status === "error" && <span className="text-sm text-red-700">{state.message}</span>}
      </div>
    </form>
  );
}

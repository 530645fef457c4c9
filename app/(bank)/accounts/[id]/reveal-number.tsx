"use client";

import { useActionState } from "react";
import { useSubmitOnce } from "@/app/_components/use-submit-once";
import { RequiresPasskey } from "@/app/_components/badge";
import { idle, type ActionState } from "@/app/_lib/action-state";
import { revealAction } from "./actions";

/** Masked by default; Reveal asks the server (under the "account.reveal" policy). */
export function RevealNumber({ accountId, last4, autoReveal }: { accountId: string; last4: string; autoReveal: boolean }) {
  const [state, action, pending] = useActionState<ActionState<string>, FormData>(revealAction, idle);
  const shown = state.status === "success" ? state.result : undefined;
  const form = useSubmitOnce(autoReveal); // back from step-up for a reveal: finish what the user asked for
  return (
    <form ref={form} action={action} className="flex items-center gap-3">
      <input type="hidden" name="accountId" value={accountId} />
      <span className="font-mono text-lg tracking-wider" data-testid="account-number">
        {shown ?? `•••• ${last4}`}
      </span>
      {shown === undefined && (
        <button type="submit" disabled={pending} className="rounded-lg border border-slate-300 px-3 py-1 text-sm font-medium hover:bg-slate-100 disabled:opacity-60">
          {pending ? "Revealing…" : "Reveal"}
        </button>
      )}
      {shown === undefined && <RequiresPasskey />}
      {state.status === "error" && <span className="text-sm text-red-700">{state.message}</span>}
    </form>
  );
}

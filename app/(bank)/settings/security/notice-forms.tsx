"use client";

import { useActionState } from "react";
import { buttonClass } from "@/app/_components/button";
import { FormAlert, FormSuccess } from "@/app/_components/form-alert";
import { PendingFieldset } from "@/app/_components/pending-fieldset";
import { idle } from "@/app/_lib/action-state";
import type { NoticePreference } from "@/lib/notify/my-notices";
import { markNoticesReadAction, setNoticePreferencesAction } from "./notice-actions";

export function MarkReadForm() {
  const [, action, pending] = useActionState(markNoticesReadAction, idle);
  return (
    <form action={action}>
      <button type="submit" disabled={pending} className={buttonClass("secondary", "sm")}>
        Mark all as read
      </button>
    </form>
  );
}

/** Which security emails come; the ones that tell of what a thief changes first can't be switched off. */
export function NoticePreferencesForm({ preferences }: { preferences: NoticePreference[] }) {
  const [state, action] = useActionState(setNoticePreferencesAction, idle);
  return (
    <details className="rounded-2xl border border-slate-200 bg-white p-4 text-sm">
      <summary className="cursor-pointer font-medium">Email preferences</summary>
      <form action={action} className="mt-3">
        <input type="hidden" name="form" value="notice-preferences" />
        <PendingFieldset className="space-y-3">
          <FormAlert message={state.status === "error" ? state.message : undefined} />
          <FormSuccess message={state.status === "success" ? state.message : null} />
          <fieldset className="space-y-2">
            <legend className="mb-1 text-slate-600">Email me when:</legend>
            {preferences.map((p) => (
              <label key={p.kind} className="flex items-start gap-2">
                <input
                  type="checkbox"
                  name={`email:${p.kind}`}
                  defaultChecked={p.email}
                  disabled={p.always}
                  className="mt-0.5"
                />
                <span>
                  {p.label}
                  {p.always && <span className="text-slate-600"> (always sent)</span>}
                </span>
              </label>
            ))}
          </fieldset>
          <p className="text-slate-600">Every notification still shows here, whichever emails you choose.</p>
          <button type="submit" className={buttonClass("secondary", "sm")}>
            Save email preferences
          </button>
        </PendingFieldset>
      </form>
    </details>
  );
}

"use client";

import { useActionState, useEffect, useState } from "react";
import { useSubmitOnce } from "@/app/_components/use-submit-once";
import { RequiresPasskey } from "@/app/_components/badge";
import { Field } from "@/app/_components/field";
import { FormAlert } from "@/app/_components/form-alert";
import { PendingFieldset } from "@/app/_components/pending-fieldset";
import { SelectField } from "@/app/_components/select-field";
import { ShownOnceActions } from "@/app/_components/shown-once";
import { SubmitButton } from "@/app/_components/submit-button";
import { showToast } from "@/app/_components/toaster";
import { idle, type ActionState } from "@/app/_lib/action-state";
import { createApiClientAction } from "./api-actions";

type CreateApiClientState = ActionState<{ clientId: string; secret: string; name: string }>;

type ScopeOption = { id: string; label: string };
type Draft = { name: string; scopes: string[]; days: number };

/** The secret, once, with its client id: the only time anyone can read it. */
function CreatedToken({
  clientId,
  secret,
  name,
  onDone,
}: {
  clientId: string;
  secret: string;
  name: string;
  onDone: () => void;
}) {
  return (
    <div className="space-y-3 rounded-2xl border border-amber-300 bg-amber-50 p-5" data-testid="api-token-created">
      <h3 className="font-semibold text-amber-950">Copy the token for &quot;{name}&quot; now</h3>
      <p className="text-sm text-amber-950">
        Only its fingerprint is kept, so it can&apos;t be shown again. Treat it like a password.
      </p>
      <dl className="space-y-2 text-sm">
        <div>
          <dt className="font-medium text-amber-950">client_id</dt>
          <dd className="font-mono break-all" data-testid="api-client-id">
            {clientId}
          </dd>
        </div>
        <div>
          <dt className="font-medium text-amber-950">client_secret (the token)</dt>
          <dd className="rounded bg-white px-2 py-1 font-mono break-all" data-testid="api-client-secret">
            {secret}
          </dd>
        </div>
      </dl>
      <ShownOnceActions copyText={secret} copyLabel="Copy token" savedLabel="I've stored it safely" onDone={onDone} />
    </div>
  );
}

/**
 * Makes an API token (policy "api_client.create": a passkey within 5 minutes). Back from the step-up
 * page, `resume` holds what was asked for, and the form finishes by itself: nothing is typed twice.
 */
export function CreateApiClient({
  scopes,
  lifetimes,
  resume,
}: {
  scopes: ScopeOption[];
  lifetimes: number[];
  resume: Draft | null;
}) {
  const [state, action] = useActionState<CreateApiClientState, FormData>(createApiClientAction, idle);
  const [dismissed, setDismissed] = useState<string | null>(null);
  const form = useSubmitOnce(resume !== null);
  useEffect(() => {
    if (state.status === "success") showToast(state.message);
  }, [state]);
  const created = state.status === "success" ? state.result : undefined;
  if (created && dismissed !== created.clientId) {
    return (
      <CreatedToken
        clientId={created.clientId}
        secret={created.secret}
        name={created.name}
        onDone={() => setDismissed(created.clientId)}
      />
    );
  }
  const failed = state.status === "error" ? state : null;
  const chosen = failed ? (failed.values.scopes?.split(" ") ?? []) : (resume?.scopes ?? ["accounts:read"]);
  return (
    <form
      ref={form}
      action={action}
      className="rounded-2xl border border-slate-200 bg-white p-5"
      noValidate
      data-testid="api-create-form"
      key={failed ? "failed" : "form"}
    >
      <PendingFieldset className="space-y-4">
        <FormAlert message={failed?.message} fieldErrors={failed?.fieldErrors} />
        <Field
          name="name"
          label="Token name"
          hint="Where it's used, e.g. “Budget script on my laptop”."
          defaultValue={failed?.values.name ?? resume?.name ?? ""}
          error={failed?.fieldErrors.name}
          maxLength={60}
        />
        <fieldset aria-describedby={failed?.fieldErrors.scopes ? "scopes-error" : undefined}>
          <legend className="text-sm font-medium text-slate-800">Permissions</legend>
          <div className="mt-1 space-y-1">
            {scopes.map((s) => (
              <label key={s.id} className="flex items-start gap-2 text-sm">
                <input
                  type="checkbox"
                  name="scopes"
                  value={s.id}
                  defaultChecked={chosen.includes(s.id)}
                  className="mt-1"
                />
                <span>
                  <span className="font-mono">{s.id}</span> <span className="text-slate-600">· {s.label}</span>
                </span>
              </label>
            ))}
          </div>
          {failed?.fieldErrors.scopes && (
            <p id="scopes-error" className="mt-1 text-sm font-medium text-red-700">
              {failed.fieldErrors.scopes}
            </p>
          )}
        </fieldset>
        <SelectField
          name="days"
          label="Expires after"
          defaultValue={String(failed?.values.days || resume?.days || 30)}
          error={failed?.fieldErrors.days}
        >
          {lifetimes.map((d) => (
            <option key={d} value={d}>
              {d} days
            </option>
          ))}
        </SelectField>
        <p className="flex flex-wrap items-center gap-2 text-sm text-slate-600">
          <RequiresPasskey /> You&apos;ll confirm with your passkey. The token is shown once.
        </p>
        <SubmitButton pendingLabel="Creating…">Create API token</SubmitButton>
      </PendingFieldset>
    </form>
  );
}

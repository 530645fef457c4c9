"use client";

import { useActionState, useState, type ReactNode } from "react";
import { useSuccessToast } from "@/app/_components/toaster";
import { Field } from "@/app/_components/field";
import { idle, type ActionState } from "@/app/_lib/action-state";

type FormAction = (previous: ActionState, formData: FormData) => Promise<ActionState>;

/**
 * A row of the security centre for something the customer named (a passkey, a known device): its name
 * and details, Rename (an inline form), and a destructive action (remove, forget). Both post the row's
 * id as `idField`; the server checks ownership and the name.
 */
export function NamedRow({
  kind,
  idField,
  id,
  name,
  nameField,
  badge,
  detail,
  rename,
  remove,
  children,
}: {
  /** Names the test ids: `${kind}-row`, `${kind}-name`. */
  kind: string;
  idField: string;
  id: string;
  name: string;
  nameField: string;
  badge?: ReactNode;
  detail: string;
  rename: FormAction;
  remove: { action: FormAction; label: string; ariaLabel: string };
  /** More about the row, below it (e.g. a passkey's upgrade offer). */
  children?: ReactNode;
}) {
  const [renameState, renameAction, renaming] = useActionState(rename, idle);
  const [removeState, removeAction, removing] = useActionState(remove.action, idle);
  useSuccessToast(renameState);
  const [editing, setEditing] = useState(false);
  const error =
    renameState.status === "error" ? renameState.message : removeState.status === "error" ? removeState.message : null;
  return (
    <li className="space-y-2 px-5 py-3" data-testid={`${kind}-row`}>
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div>
          <p className="font-medium" data-testid={`${kind}-name`}>
            {name}
            {badge}
          </p>
          <p className="text-sm text-slate-600">{detail}</p>
        </div>
        <div className="flex gap-2">
          <button
            type="button"
            onClick={() => setEditing(!editing)}
            aria-label={`Rename ${name}`}
            className="rounded-lg border border-slate-300 px-3 py-1.5 text-sm font-medium hover:bg-slate-100"
          >
            Rename
          </button>
          <form action={removeAction}>
            <input type="hidden" name={idField} value={id} />
            <button
              type="submit"
              disabled={removing}
              aria-label={remove.ariaLabel}
              className="rounded-lg border border-red-300 px-3 py-1.5 text-sm font-medium text-red-700 hover:bg-red-50"
            >
              {remove.label}
            </button>
          </form>
        </div>
      </div>
      {editing && (
        <form action={renameAction} className="flex items-end gap-2" onSubmit={() => setEditing(false)}>
          <input type="hidden" name={idField} value={id} />
          <div className="flex-1">
            <Field
              name={nameField}
              id={`rename-${id}`}
              label="New name"
              defaultValue={name}
              maxLength={60}
              disabled={renaming}
            />
          </div>
          <button type="submit" className="rounded-lg bg-accent-600 px-3 py-2 text-sm font-medium text-white">
            Save
          </button>
        </form>
      )}
      {children}
      {error && (
        <p role="alert" className="text-sm text-red-700">
          {error}
        </p>
      )}
    </li>
  );
}

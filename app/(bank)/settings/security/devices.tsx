"use client";

import { useActionState, useState } from "react";
import { useSuccessToast } from "@/app/_components/toaster";
import { Badge } from "@/app/_components/badge";
import { Field } from "@/app/_components/field";
import { idle } from "@/app/_lib/action-state";
import { forgetDeviceAction, renameDeviceAction } from "./actions";

/** One known device: rename it, or forget it (its next sensitive action then asks for a passkey). */
export function DeviceRow({
  id,
  name,
  detail,
  current,
}: {
  id: string;
  name: string;
  detail: string;
  current: boolean;
}) {
  const [renameState, rename, renaming] = useActionState(renameDeviceAction, idle);
  // Forgetting removes the row: its confirmation comes as a flash on the refreshed page.
  const [forgetState, forget, forgetting] = useActionState(forgetDeviceAction, idle);
  useSuccessToast(renameState);
  const [editing, setEditing] = useState(false);
  const error =
    renameState.status === "error" ? renameState.message : forgetState.status === "error" ? forgetState.message : null;
  return (
    <li className="space-y-2 px-5 py-3" data-testid="device-row">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div>
          <p className="font-medium" data-testid="device-name">
            {name}
            {current && (
              <Badge tone="success" className="ml-2">
                This device
              </Badge>
            )}
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
          <form action={forget}>
            <input type="hidden" name="deviceId" value={id} />
            <button
              type="submit"
              disabled={forgetting}
              aria-label={`Forget ${name}`}
              className="rounded-lg border border-red-300 px-3 py-1.5 text-sm font-medium text-red-700 hover:bg-red-50"
            >
              Forget
            </button>
          </form>
        </div>
      </div>
      {editing && (
        <form action={rename} className="flex items-end gap-2" onSubmit={() => setEditing(false)}>
          <input type="hidden" name="deviceId" value={id} />
          <div className="flex-1">
            <Field
              name="name"
              id={`rename-device-${id}`}
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
      {error && (
        <p role="alert" className="text-sm text-red-700">
          {error}
        </p>
      )}
    </li>
  );
}

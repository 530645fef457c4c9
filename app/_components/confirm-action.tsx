"use client";

import { useState, type ReactNode } from "react";
import { buttonClass } from "@/app/_components/button";
import { Dialog } from "@/app/_components/dialog";

/**
 * A destructive button that asks first: it opens a Dialog whose confirm button submits `action`
 * with the given hidden fields. The safe choice ("keep") has the focus.
 */
export function ConfirmAction({
  label,
  ariaLabel,
  title,
  description,
  confirmLabel,
  keepLabel,
  action,
  fields,
}: {
  label: string;
  ariaLabel: string;
  title: string;
  description: ReactNode;
  confirmLabel: string;
  keepLabel: string;
  action: (formData: FormData) => void | Promise<void>;
  fields: Record<string, string>;
}) {
  const [asking, setAsking] = useState(false);
  return (
    <>
      <button
        type="button"
        onClick={() => setAsking(true)}
        aria-label={ariaLabel}
        className={buttonClass("danger", "sm")}
      >
        {label}
      </button>
      <Dialog open={asking} onClose={() => setAsking(false)} title={title} description={description}>
        <form action={action} onSubmit={() => setAsking(false)} className="flex flex-wrap justify-end gap-2">
          {Object.entries(fields).map(([name, value]) => (
            <input key={name} type="hidden" name={name} value={value} />
          ))}
          <button type="button" onClick={() => setAsking(false)} className={buttonClass("secondary", "sm")} autoFocus>
            {keepLabel}
          </button>
          <button type="submit" className={buttonClass("dangerSolid", "sm")}>
            {confirmLabel}
          </button>
        </form>
      </Dialog>
    </>
  );
}

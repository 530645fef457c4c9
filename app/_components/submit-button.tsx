"use client";

import type { ReactNode } from "react";
import { useFormStatus } from "react-dom";

/** Disabled and labelled as busy while its form is submitting, so a double click submits once. */
export function SubmitButton({ children, pendingLabel }: { children: ReactNode; pendingLabel: string }) {
  const { pending } = useFormStatus();
  return (
    <button
      type="submit"
      disabled={pending}
      aria-disabled={pending}
      className="w-full rounded-lg bg-accent-600 px-4 py-2.5 font-medium text-white hover:bg-accent-700 focus:ring-2 focus:ring-accent-600 focus:ring-offset-2 focus:outline-none disabled:cursor-wait disabled:opacity-70"
    >
      {pending ? pendingLabel : children}
    </button>
  );
}

"use client";

import type { ReactNode } from "react";
import { useFormStatus } from "react-dom";
import { buttonClass } from "@/app/_components/button";

/** Disabled and labelled as busy while its form is submitting, so a double click submits once. */
export function SubmitButton({ children, pendingLabel }: { children: ReactNode; pendingLabel: string }) {
  const { pending } = useFormStatus();
  return (
    <button
      type="submit"
      disabled={pending}
      aria-disabled={pending}
      className={buttonClass("primary", "md", "w-full disabled:cursor-wait")}
    >
      {pending ? pendingLabel : children}
    </button>
  );
}

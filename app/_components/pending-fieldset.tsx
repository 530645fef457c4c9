"use client";

import type { ReactNode } from "react";
import { useFormStatus } from "react-dom";

/**
 * A form's fields, disabled while the form submits, so nothing can be edited mid-flight and it is
 * plain which values were sent (the browser read them before the request began). aria-busy tells
 * assistive technology the form is working.
 */
export function PendingFieldset({ children, className = "" }: { children: ReactNode; className?: string }) {
  const { pending } = useFormStatus();
  return (
    <fieldset disabled={pending} aria-busy={pending} className={`min-w-0 ${className}`}>
      {children}
    </fieldset>
  );
}

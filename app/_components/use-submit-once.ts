"use client";

import { useEffect, useRef } from "react";

/**
 * Back from the step-up page, a form finishes what the customer asked for by submitting itself,
 * once, when `when` is true. Returns the ref to put on the form.
 */
export function useSubmitOnce(when: boolean) {
  const form = useRef<HTMLFormElement>(null);
  const done = useRef(false);
  useEffect(() => {
    if (when && !done.current) {
      done.current = true;
      form.current?.requestSubmit();
    }
  }, [when]);
  return form;
}

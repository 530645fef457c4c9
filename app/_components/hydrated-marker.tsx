"use client";

import { useEffect } from "react";

/**
 * Marks the page as hydrated (`<html data-hydrated>`), once React has attached its handlers. Tools
 * that change the DOM the way an attacker's script would (the e2e tests' crafted requests) wait for
 * it; before hydration React would re-render over their changes. It renders nothing.
 */
export function HydratedMarker() {
  useEffect(() => {
    document.documentElement.dataset.hydrated = "true";
  }, []);
  return null;
}

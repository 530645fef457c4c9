"use client";

import { useState } from "react";
import { buttonClass } from "@/app/_components/button";

/**
 * Under a secret the server shows once (recovery codes, an API token): copy it, confirm it's saved,
 * then Done. Done stays disabled until the customer says they've kept it.
 */
export function ShownOnceActions({
  copyText,
  copyLabel,
  savedLabel,
  onDone,
}: {
  copyText: string;
  copyLabel: string;
  savedLabel: string;
  onDone: () => void;
}) {
  const [copied, setCopied] = useState(false);
  const [saved, setSaved] = useState(false);
  return (
    <div className="flex flex-wrap items-center gap-3">
      <button
        type="button"
        onClick={() =>
          navigator.clipboard.writeText(copyText).then(
            () => setCopied(true),
            () => setCopied(false),
          )
        }
        className={buttonClass("secondary", "sm")}
      >
        {copied ? "Copied" : copyLabel}
      </button>
      <label className="flex items-center gap-2 text-sm text-amber-950">
        <input type="checkbox" checked={saved} onChange={(e) => setSaved(e.target.checked)} />
        {savedLabel}
      </label>
      <button type="button" disabled={!saved} onClick={onDone} className={buttonClass("primary", "sm")}>
        Done
      </button>
    </div>
  );
}

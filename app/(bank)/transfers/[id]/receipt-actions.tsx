"use client";

import { useState } from "react";
import { buttonClass } from "@/app/_components/button";

/** Print (the page's print CSS keeps only the receipt) and Share (the system sheet, or a copy). */
export function ReceiptActions({ summary }: { summary: string }) {
  const [copied, setCopied] = useState(false);
  async function share() {
    if (typeof navigator.share === "function") {
      await navigator.share({ title: "Payment receipt", text: summary }).catch(() => {}); // closed by the customer: nothing to do
      return;
    }
    await navigator.clipboard.writeText(summary).then(
      () => setCopied(true),
      () => setCopied(false),
    );
  }
  return (
    <div className="flex flex-wrap gap-3 print:hidden">
      <button type="button" onClick={() => window.print()} className={buttonClass("secondary", "md")}>
        Print receipt
      </button>
      <button type="button" onClick={share} className={buttonClass("secondary", "md")}>
        {copied ? "Receipt copied" : "Share receipt"}
      </button>
    </div>
  );
}

import type { HTMLAttributes } from "react";

/** The surface every panel sits on; in dark mode it is the raised tone (the palette swaps "white"). */
export function Card({ className = "", ...rest }: HTMLAttributes<HTMLDivElement>) {
  return <div className={`rounded-2xl border border-slate-200 bg-white p-5 shadow-sm ${className}`} {...rest} />;
}

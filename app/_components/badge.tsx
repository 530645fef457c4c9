import type { ReactNode } from "react";

const TONES = {
  neutral: "bg-slate-100 text-slate-700",
  accent: "bg-accent-50 text-accent-800",
  success: "bg-emerald-50 text-emerald-800",
  warning: "bg-amber-100 text-amber-800",
  danger: "bg-red-50 text-red-800",
} as const;

/** A small label beside a thing: "New", "This device", "Requires passkey". */
export function Badge({
  tone = "neutral",
  children,
  className = "",
}: {
  tone?: keyof typeof TONES;
  children: ReactNode;
  className?: string;
}) {
  return (
    <span
      className={`inline-flex items-center gap-1 rounded-full px-2 py-0.5 text-xs font-medium whitespace-nowrap ${TONES[tone]} ${className}`}
    >
      {children}
    </span>
  );
}

/**
 * The hint on every control that will ask for a passkey, shown before the customer clicks, so the
 * step-up never comes as a surprise.
 */
export function RequiresPasskey({ className = "" }: { className?: string }) {
  return (
    <Badge tone="accent" className={className}>
      <svg aria-hidden="true" viewBox="0 0 16 16" className="h-3 w-3 fill-current">
        <path d="M10.5 1a4.5 4.5 0 0 0-4.34 5.68L1.3 11.54a1 1 0 0 0-.3.7V14a1 1 0 0 0 1 1h2v-1.5h1.5V12H7l1.32-1.32A4.5 4.5 0 1 0 10.5 1Zm1 4.5a1 1 0 1 1 0-2 1 1 0 0 1 0 2Z" />
      </svg>
      Requires passkey
    </Badge>
  );
}

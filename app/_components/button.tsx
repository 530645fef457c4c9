const BASE =
  "inline-flex items-center justify-center gap-2 rounded-lg font-medium focus:ring-2 focus:ring-accent-600 focus:ring-offset-2 focus:outline-none disabled:cursor-not-allowed disabled:opacity-60";
const VARIANTS = {
  primary: "bg-accent-600 text-white hover:bg-accent-700",
  secondary: "border border-slate-300 bg-white text-slate-900 hover:bg-slate-100",
  danger: "border border-red-300 bg-white text-red-700 hover:bg-red-50",
  dangerSolid: "bg-red-700 text-white hover:bg-red-800",
} as const;
const SIZES = { sm: "px-3 py-1.5 text-sm", md: "px-4 py-2.5" } as const;

/**
 * The button look, as classes, so <button>, <Link> and SubmitButton share it. One place to restyle
 * every button in a fork.
 */
export function buttonClass(
  variant: keyof typeof VARIANTS = "primary",
  size: keyof typeof SIZES = "md",
  extra = "",
): string {
  return `${BASE} ${VARIANTS[variant]} ${SIZES[size]} ${extra}`;
}

import { formatMoney, type Currency } from "@/lib/money";
import type { Direction } from "@/lib/banking/activity";

/** What an amount did for the customer, in words, for screen readers (the sign alone is easy to miss). */
const SPOKEN: Record<Direction, string> = { out: "paid out", in: "received", between: "moved between your accounts" };

/**
 * A signed amount: "−$46.25" out, "+$2,500.00" in (green), "$150.00" between the customer's own
 * accounts (their total doesn't change). Never wraps.
 */
export function SignedAmount({
  amount,
  currency,
  direction,
  className = "",
}: {
  amount: bigint;
  currency: Currency;
  direction: Direction;
  className?: string;
}) {
  const text =
    direction === "out"
      ? formatMoney(-amount, currency, { signDisplay: "always" }).replace("-", "−")
      : direction === "in"
        ? formatMoney(amount, currency, { signDisplay: "always" })
        : formatMoney(amount, currency);
  return (
    <span
      className={`whitespace-nowrap tabular-nums ${direction === "in" ? "text-emerald-700" : ""} ${className}`}
      data-testid="signed-amount"
    >
      <span aria-hidden="true">{text}</span>
      <span className="sr-only">
        {formatMoney(amount, currency)} {SPOKEN[direction]}
      </span>
    </span>
  );
}

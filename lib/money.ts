/**
 * Money is a bigint count of minor units plus an ISO 4217 code. Text is parsed by pattern, never
 * through Number or parseFloat, so "0.1 + 0.2" problems can't happen and huge values stay exact.
 */

export const CURRENCIES = ["USD", "EUR", "GBP"] as const;
export type Currency = (typeof CURRENCIES)[number];
export type Money = { amount: bigint; currency: Currency };

export const LOCALE = "en-US";

export const isCurrency = (value: unknown): value is Currency =>
  typeof value === "string" && (CURRENCIES as readonly string[]).includes(value);

/** Digits after the decimal point for a currency (USD 2, JPY 0), from the platform's ICU data. */
export function minorDigits(currency: Currency): number {
  return new Intl.NumberFormat(LOCALE, { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
}

export type ParseAmountError = "empty" | "negative" | "format" | "precision" | "too_long";
export type ParseAmountResult = { ok: true; amount: bigint } | { ok: false; error: ParseAmountError; message: string };

const MAX_INPUT_LENGTH = 32;
// "1234", "1234.5", "1,234.56": thousands separators are allowed only in the right places.
const PLAIN = /^(\d+)(?:\.(\d+))?$/;
const GROUPED = /^(\d{1,3}(?:,\d{3})+)(?:\.(\d+))?$/;

/**
 * Parses what a person types ("1,250.00", "12.3", "7") into minor units.
 * Rejects empty input, signs, exponents ("1e3"), and more decimals than the currency has ("1.234").
 * Zero parses (0n): whether zero is allowed is the caller's rule.
 */
export function parseAmount(input: unknown, currency: Currency = "USD"): ParseAmountResult {
  if (typeof input !== "string" || input.trim() === "") {
    return { ok: false, error: "empty", message: "Enter an amount." };
  }
  const text = input.trim();
  if (text.length > MAX_INPUT_LENGTH) return { ok: false, error: "too_long", message: "That amount is too long." };
  if (/^[-−]/.test(text)) return { ok: false, error: "negative", message: "Enter a positive amount." };
  const match = PLAIN.exec(text) ?? GROUPED.exec(text);
  if (!match) {
    return { ok: false, error: "format", message: "Enter an amount in digits, like 12.34." };
  }
  const [, wholeText, fraction = ""] = match;
  const digits = minorDigits(currency);
  if (fraction.length > digits) {
    return {
      ok: false,
      error: "precision",
      message: digits === 0 ? "This currency has no decimal places." : `Use at most ${digits} decimal places.`,
    };
  }
  const whole = BigInt(wholeText.replaceAll(",", ""));
  const minor = BigInt((fraction + "0".repeat(digits)).slice(0, digits) || "0");
  return { ok: true, amount: whole * 10n ** BigInt(digits) + minor };
}

/** Minor units as an exact decimal string: 123456n USD -> "1234.56", -5n -> "-0.05". */
export function toDecimalString(amount: bigint, currency: Currency): string {
  const digits = minorDigits(currency);
  const negative = amount < 0n;
  const abs = negative ? -amount : amount;
  if (digits === 0) return `${negative ? "-" : ""}${abs}`;
  const scale = 10n ** BigInt(digits);
  const fraction = (abs % scale).toString().padStart(digits, "0");
  return `${negative ? "-" : ""}${abs / scale}.${fraction}`;
}

const formatters = new Map<string, Intl.NumberFormat>();

/** 125000n USD -> "$1,250.00". Intl formats the exact decimal string (no float on the way). */
export function formatMoney(
  amount: bigint,
  currency: Currency,
  options: { signDisplay?: "auto" | "always" | "exceptZero" } = {},
): string {
  const key = `${currency}:${options.signDisplay ?? "auto"}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    formatter = new Intl.NumberFormat(LOCALE, {
      style: "currency",
      currency,
      signDisplay: options.signDisplay ?? "auto",
    });
    formatters.set(key, formatter);
  }
  // ES2023 Intl.NumberFormat v3: format() takes a decimal string and keeps every digit.
  return formatter.format(toDecimalString(amount, currency) as unknown as number);
}

import { toDecimalString, type Currency } from "@/lib/money";

/**
 * Money in the API: the exact integer count of minor units (`*_minor`), and the same as a decimal
 * string for people. Never a float.
 */
export const money = (name: string, amount: bigint, currency: Currency) => ({
  [name]: toDecimalString(amount, currency),
  [`${name}_minor`]: Number(amount),
});

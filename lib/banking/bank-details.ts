import { z } from "zod";

/**
 * External bank details for payees and the payout destination: either an IBAN, or a domestic
 * routing code (US ABA routing number, 9 digits, or UK sort code, 6 digits) plus an account number.
 * Validated by format and check digits only; whether the account exists is the payment network's job.
 */

/** Letters and digits only, upper case: "gb82 west 1234…" -> "GB82WEST1234…". */
export const compactIban = (value: string) => value.replace(/[\s-]/g, "").toUpperCase();

/** ISO 13616 check: move the first four characters to the end, letters to numbers, mod 97 == 1. */
export function isValidIban(value: string): boolean {
  const iban = compactIban(value);
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(iban)) return false;
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let remainder = 0;
  for (const ch of rearranged) {
    const digits = ch >= "A" && ch <= "Z" ? String(ch.charCodeAt(0) - 55) : ch;
    for (const d of digits) remainder = (remainder * 10 + Number(d)) % 97;
  }
  return remainder === 1;
}

/** ABA routing numbers carry a checksum: 3·(d1+d4+d7) + 7·(d2+d5+d8) + (d3+d6+d9) ≡ 0 (mod 10). */
export function isValidAbaRouting(value: string): boolean {
  if (!/^\d{9}$/.test(value)) return false;
  const d = [...value].map(Number);
  return (3 * (d[0] + d[3] + d[6]) + 7 * (d[1] + d[4] + d[7]) + (d[2] + d[5] + d[8])) % 10 === 0;
}

/** "IBAN ••• 3000" or "••• 4821": enough to recognise, not enough to misuse. */
export function maskBankDetails(details: { iban?: string | null; accountNumber?: string | null }): string {
  if (details.iban) return `IBAN ••• ${details.iban.slice(-4)}`;
  if (details.accountNumber) return `Acct ••• ${details.accountNumber.slice(-4)}`;
  return "•••";
}

/**
 * The details in full, grouped for reading: "GB82 WEST 1234 5698 7654 32", or "Routing 021000021 ·
 * Acct 12345678". Only for the customer confirming what they typed (a new payee or payout account).
 */
export function formatBankDetails(details: {
  iban?: string | null;
  routingCode?: string | null;
  accountNumber?: string | null;
}): string {
  if (details.iban) return details.iban.replace(/(.{4})(?=.)/g, "$1 ");
  const routing = details.routingCode?.length === 6 ? "Sort code" : "Routing";
  return `${routing} ${details.routingCode ?? ""} · Acct ${details.accountNumber ?? ""}`;
}

const text = (field: string, max: number) =>
  z
    .string({ error: `Enter the ${field}.` })
    .trim()
    .min(1, `Enter the ${field}.`)
    .max(max, `Use at most ${max} characters.`);

const optionalText = z
  .string()
  .max(64, "That is too long.")
  .optional()
  .transform((v) => (v ?? "").trim());

const str = (value: unknown) => (typeof value === "string" ? value : "");
const digitsOf = (value: unknown) => str(value).replace(/[\s-]/g, "");

/**
 * Form input -> normalised details. `scheme` chooses IBAN or domestic; the other fields are ignored.
 * Messages are written for the person filling in the form. The account checks run even when another
 * field (the name) failed (`when`), so an empty form flags every field at once.
 */
export const bankDetailsSchema = z
  .object({
    name: text("name", 100),
    scheme: z.enum(["iban", "domestic"], { error: "Choose IBAN or routing and account number." }),
    iban: optionalText,
    routingCode: optionalText,
    accountNumber: optionalText,
  })
  .superRefine(
    (input, ctx) => {
      if (input.scheme === "iban") {
        const iban = compactIban(str(input.iban));
        if (!iban) ctx.addIssue({ code: "custom", path: ["iban"], message: "Enter the IBAN." });
        else if (!isValidIban(iban)) {
          ctx.addIssue({ code: "custom", path: ["iban"], message: "That IBAN isn't valid. Check it for typos." });
        }
        return;
      }
      if (input.scheme !== "domestic") return;
      const routingCode = digitsOf(input.routingCode);
      const accountNumber = digitsOf(input.accountNumber);
      if (!routingCode)
        ctx.addIssue({ code: "custom", path: ["routingCode"], message: "Enter the routing number or sort code." });
      else if (!/^\d+$/.test(routingCode) || !(routingCode.length === 6 || isValidAbaRouting(routingCode))) {
        ctx.addIssue({
          code: "custom",
          path: ["routingCode"],
          message: "Enter a 9-digit routing number or a 6-digit sort code.",
        });
      }
      if (!accountNumber)
        ctx.addIssue({ code: "custom", path: ["accountNumber"], message: "Enter the account number." });
      else if (!/^\d{4,17}$/.test(accountNumber)) {
        ctx.addIssue({ code: "custom", path: ["accountNumber"], message: "Account numbers are 4 to 17 digits." });
      }
    },
    { when: () => true },
  )
  .transform((input) =>
    input.scheme === "iban"
      ? { name: input.name, iban: compactIban(input.iban), routingCode: null, accountNumber: null }
      : {
          name: input.name,
          iban: null,
          routingCode: digitsOf(input.routingCode),
          accountNumber: digitsOf(input.accountNumber),
        },
  );

export type BankDetails = z.infer<typeof bankDetailsSchema>;

/** The bank-details form fields to show again after an error (bounded; nothing secret in them). */
export function bankDetailsFormValues(fields: Record<string, string>): Record<string, string> {
  const { name = "", scheme = "", iban = "", routingCode = "", accountNumber = "" } = fields;
  return {
    name: name.slice(0, 200),
    scheme: scheme.slice(0, 16),
    iban: iban.slice(0, 64),
    routingCode: routingCode.slice(0, 64),
    accountNumber: accountNumber.slice(0, 64),
  };
}

/** Normalised details (as stored in an intent) back in the form the schema parses. */
export function bankDetailsInput(d: BankDetails) {
  return d.iban
    ? { name: d.name, scheme: "iban", iban: d.iban }
    : { name: d.name, scheme: "domestic", routingCode: d.routingCode ?? "", accountNumber: d.accountNumber ?? "" };
}

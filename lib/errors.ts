/**
 * Expected failures are values, not crashes. A lib/ function throws DomainError with a stable code
 * and a message written for the person using the bank; actions turn it into ActionState. Anything
 * else is a bug: production redacts it, and the user sees a generic message.
 */
/**
 * Every code a DomainError may carry: a closed set, so the API's status map (lib/api/http.ts) is
 * exhaustive and a new code must say which HTTP status it is.
 */
export const DOMAIN_ERROR_CODES = [
  "not_found",
  "invalid_input",
  "invalid_amount",
  "insufficient_funds",
  "same_account",
  "currency_mismatch",
  "daily_limit",
  "limit_changed",
  "email_taken",
  "wrong_password",
  "intent_invalid",
  "intent_used",
  "step_up_required",
  "recovery_hold",
  "account_frozen",
  "high_risk",
  "no_challenge",
  "registration_failed",
  "too_many_intents",
  "too_many_tokens",
] as const;
export type DomainErrorCode = (typeof DOMAIN_ERROR_CODES)[number];

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    readonly userMessage: string,
    /** The form field the message belongs to, when there is one. */
    readonly field?: string,
  ) {
    super(`${code}: ${userMessage}`);
    this.name = "DomainError";
  }
}

/** "Not found" for anything the caller may not see: outsiders learn nothing about what exists. */
export const notFound = (what = "That item") => new DomainError("not_found", `${what} was not found.`);

export type FieldErrors = Partial<Record<string, string>>;

/** Input that failed validation: one message per field, nothing changed. */
export class InputError extends DomainError {
  constructor(readonly fieldErrors: FieldErrors) {
    super("invalid_input", "Check the highlighted fields.");
    this.name = "InputError";
  }
}

type SafeParser<T> = {
  safeParse(
    input: unknown,
  ): { success: true; data: T } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } };
};

/** Parses with a zod schema, or throws InputError with the first message for each field. */
export function parseInput<T>(schema: SafeParser<T>, raw: unknown): T {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const fieldErrors: FieldErrors = {};
  for (const issue of parsed.error.issues) {
    const field = String(issue.path[0] ?? "form");
    fieldErrors[field] ??= issue.message;
  }
  throw new InputError(fieldErrors);
}

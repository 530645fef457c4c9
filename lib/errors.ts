/**
 * Expected failures are values, not crashes. A lib/ function throws DomainError with a stable code
 * and a message written for the person using the bank; actions turn it into ActionState. Anything
 * else is a bug: production redacts it, and the user sees a generic message.
 */
export class DomainError extends Error {
  constructor(
    readonly code: string,
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

/**
 * What a server action sends back to its form. Never secrets, passwords or whole records: only a
 * message, per-field messages, and the non-secret values the form should show again.
 */
export type ActionState =
  | { status: "idle" }
  | { status: "error"; message: string; fieldErrors: FieldErrors; values: Record<string, string> }
  | { status: "success"; message: string };

export const idle: ActionState = { status: "idle" };

/** Input that failed validation: one message per field, nothing changed. */
export class InputError extends DomainError {
  constructor(readonly fieldErrors: FieldErrors) {
    super("invalid_input", "Check the highlighted fields.");
    this.name = "InputError";
  }
}

type SafeParser<T> = {
  safeParse(input: unknown): { success: true; data: T } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } };
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

/**
 * Server actions are public endpoints: a crafted call can send any value where the page sends its
 * FormData. Each form action checks with this first and answers UNREADABLE_FORM, instead of crashing
 * on `formData.get` (a 500).
 */
export const isFormData = (value: unknown): value is FormData => value instanceof FormData;
export const UNREADABLE_FORM = "This form couldn't be read. Reload the page and try again.";
export const unreadableForm: ActionState = { status: "error", message: UNREADABLE_FORM, fieldErrors: {}, values: {} };

/** A form's FormData as a plain object of its text fields (files and repeated keys are dropped). */
export function formFields(formData: FormData): Record<string, string> {
  // No prototype: a field named "__proto__" or "constructor" is just data here.
  const fields = Object.create(null) as Record<string, string>;
  for (const [key, value] of formData.entries()) {
    if (typeof value === "string" && !key.startsWith("$ACTION") && !Object.hasOwn(fields, key)) fields[key] = value;
  }
  return fields;
}

/** The step-up page for an intent: where an action sends the user when the guard asks for step-up. */
export const stepUpPath = (intentId: string) => `/step-up/${encodeURIComponent(intentId)}`;

/** Maps a lib/ failure to form state, keeping the given non-secret values. Anything else is rethrown. */
export function toErrorState(err: unknown, values: Record<string, string>): ActionState {
  if (err instanceof InputError) return { status: "error", message: err.userMessage, fieldErrors: err.fieldErrors, values };
  if (err instanceof DomainError) {
    return { status: "error", message: err.userMessage, fieldErrors: err.field ? { [err.field]: err.userMessage } : {}, values };
  }
  throw err;
}

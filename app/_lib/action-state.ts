import { DomainError, InputError, type FieldErrors } from "@/lib/errors";

/**
 * What every server action sends back to its form: one shape. Never passwords or whole records: a
 * message, per-field messages, the non-secret values the form shows again, and on success `result`,
 * what the customer asked to see (a revealed number; recovery codes or an API secret, shown once).
 */
export type ActionState<R = never> =
  | { status: "idle" }
  | { status: "error"; message: string; fieldErrors: FieldErrors; values: Record<string, string> }
  | { status: "success"; message: string; result?: R };

export const idle = { status: "idle" } as const satisfies ActionState<unknown>;

/**
 * Server actions are public endpoints: a crafted call can send any value where the page sends its
 * FormData. Each form action checks with this first and answers UNREADABLE_FORM, instead of crashing
 * on `formData.get` (a 500).
 */
export const isFormData = (value: unknown): value is FormData => value instanceof FormData;
export const UNREADABLE_FORM = "This form couldn't be read. Reload the page and try again.";
export const unreadableForm = {
  status: "error",
  message: UNREADABLE_FORM,
  fieldErrors: {},
  values: {},
} as const satisfies ActionState<unknown>;

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
export function toErrorState(err: unknown, values: Record<string, string>): Extract<ActionState, { status: "error" }> {
  if (err instanceof InputError)
    return { status: "error", message: err.userMessage, fieldErrors: err.fieldErrors, values };
  if (err instanceof DomainError) {
    return {
      status: "error",
      message: err.userMessage,
      fieldErrors: err.field ? { [err.field]: err.userMessage } : {},
      values,
    };
  }
  throw err;
}

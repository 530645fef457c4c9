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

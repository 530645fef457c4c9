/** Emails are compared and stored trimmed and lower-cased, so "Alice@Example.com " is alice. */
export const normaliseEmail = (email: string) => email.trim().toLowerCase();

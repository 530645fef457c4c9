/**
 * Where to go after signing in. Only same-site paths are accepted, so `?next=` can't be used to
 * bounce a freshly signed-in user to another site (an open redirect).
 */
export const DEFAULT_AFTER_SIGN_IN = "/dashboard";

export function safeNextPath(value: unknown): string {
  if (typeof value !== "string" || value.length > 512) return DEFAULT_AFTER_SIGN_IN;
  // "/x" is local; "//host" and "/\host" are protocol-relative to a browser.
  if (!value.startsWith("/") || value.startsWith("//") || value.startsWith("/\\")) return DEFAULT_AFTER_SIGN_IN;
  if (/[\u0000-\u001f]/.test(value)) return DEFAULT_AFTER_SIGN_IN;
  return value;
}

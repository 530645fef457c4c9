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

/**
 * Auth.js' `redirect` callback: where a sign-in, sign-out or callback may send the browser. Auth.js'
 * default parses the callbackUrl it was sent (query, form field or cookie) with `new URL()` and throws
 * on one that doesn't parse ("http://localhost:3000.evil.example/": a port that isn't a number), which
 * ends as an "Invalid URL" error with a stack in the log. Anything anyone can send is input, so here
 * it is checked instead: a safe local path, or an absolute URL on Vault's own origin; anything else
 * (another site, or not a URL at all) goes to Vault's home page, as Auth.js' default does for another site.
 */
export function authRedirect({ url, baseUrl }: { url: string; baseUrl: string }): string {
  if (url.startsWith("/")) return `${baseUrl}${safeNextPath(url)}`;
  if (URL.canParse(url) && new URL(url).origin === baseUrl) return url;
  return baseUrl;
}

/**
 * What an API client may do. A token carries a subset; each route needs one (RFC 6749 §3.3 scope,
 * RFC 6750 §3.1 insufficient_scope when it is missing).
 */
export const SCOPES = {
  "accounts:read": "See your accounts and balances",
  "transfers:read": "See your transactions",
  "transfer:funds": "Ask to move money (each payment to a payee still needs your passkey)",
} as const;
export type Scope = keyof typeof SCOPES;
export const ALL_SCOPES = Object.keys(SCOPES) as Scope[];

export const isScope = (value: unknown): value is Scope => typeof value === "string" && Object.hasOwn(SCOPES, value);

/** A stored or requested scope string ("a b c"), kept to known scopes, de-duplicated, in canonical order. */
export function parseScopes(value: unknown): Scope[] {
  if (typeof value !== "string") return [];
  const asked = new Set(value.split(/\s+/).filter(Boolean));
  return ALL_SCOPES.filter((s) => asked.has(s));
}

export const formatScopes = (scopes: readonly Scope[]) => ALL_SCOPES.filter((s) => scopes.includes(s)).join(" ");

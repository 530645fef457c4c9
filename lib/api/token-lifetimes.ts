/** Access tokens are short-lived, which limits what a stolen one can do (RFC 9700, the OAuth 2.0 Security BCP). */
export const ACCESS_TOKEN_TTL_S = 10 * 60;
/** A step-up token runs one operation, soon: long enough for the client to retry the call it was for. */
export const STEP_UP_TOKEN_TTL_S = 2 * 60;
/** RFC 6749 §4.1.2: an authorization code lives briefly (10 minutes at most); Vault's, one minute. */
export const CODE_TTL_S = 60;

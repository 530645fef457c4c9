/** Password rules, shared by the server check and the form hint (no server-only code here). */

/** NIST SP 800-63B-4 §3.1.1.2: a password used as a single factor needs at least 15 characters. */
export const PASSWORD_MIN_LENGTH = 15;
/** Generous (NIST asks to allow at least 64) but bounded, so nobody can make us hash megabytes. */
export const PASSWORD_MAX_LENGTH = 256;

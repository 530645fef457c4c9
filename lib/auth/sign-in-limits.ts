import "server-only";
import { CredentialsSignin } from "@auth/core/errors";
import { createLockout, LOCKOUT } from "@/lib/assurance/lockout";

/**
 * Password sign-in limits, in the database so every app instance shares them:
 * - per account: counted by the normalised email, whether or not an account exists (so the warning
 *   and the lock reveal nothing), 5 failures in 15 minutes lock password sign-in for 15 minutes,
 *   with a warning from the 3rd (PSD2 RTS Art. 4(3)(b); NIST SP 800-63B-4 §3.2.2 allows at most 100);
 * - per IP: 100 failures in 15 minutes block that address for 15 minutes (credential stuffing across
 *   many accounts). Only when an address is known: behind a load balancer, its X-Forwarded-For.
 * Passkey sign-in is not blocked by either: it can't be guessed.
 */
export const accountSignInLockout = createLockout("signin-account", LOCKOUT);
export const SIGN_IN_IP_RULE = { maxFailures: 100, warnAfter: 100, windowS: 15 * 60, blockS: 15 * 60 } as const;
export const ipSignInLockout = createLockout("signin-ip", SIGN_IN_IP_RULE);

/**
 * Auth.js puts `code` in its error (and in redirect URLs), so codes say nothing about the account:
 * the same ones come for an email with no account.
 */
export class SignInPaused extends CredentialsSignin {
  code = "paused";
}
export class SignInFailedWithWarning extends CredentialsSignin {
  constructor(readonly attemptsLeft: number) {
    super();
    this.code = `attempts_left_${attemptsLeft}`;
  }
}

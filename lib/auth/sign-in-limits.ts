import "server-only";
import { CredentialsSignin } from "@auth/core/errors";
import { createLockout, LOCKOUT, type Lockout } from "@/lib/assurance/lockout";
import { recordAudit } from "@/lib/audit/log";

/**
 * Password sign-in limits, in the database so every app instance shares them:
 * - per account: counted by the normalised email, whether or not an account exists (so the warning
 *   and the lock reveal nothing), 5 failures in 15 minutes lock password sign-in for 15 minutes,
 *   with a warning from the 3rd (PSD2 RTS Art. 4(3)(b); NIST SP 800-63B-4 §3.2.2 allows at most 100);
 * - per IP: 100 failures in 15 minutes block that address for 15 minutes (credential stuffing across
 *   many accounts). Only when an address is known: one that the operator's own proxies report (TRUSTED_PROXY_HOPS, lib/audit/log.ts clientIpFrom).
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

/**
 * Recovery-code sign-in has its own per-account counter, so someone guessing passwords (and pausing
 * password sign-in) can't also lock the customer out of recovery; the per-IP limit is shared.
 */
export const recoverySignInLockout = createLockout("signin-recovery", LOCKOUT);

export type SignInAttempt<U> = { ok: true; user: U } | { ok: false; reason: string };

/**
 * One sign-in attempt under the limits above, audited either way. `attempt` must take the same time
 * whether or not the account exists (lib/auth/password.ts burnPasswordCheck).
 */
export async function limitedSignIn<U extends { id: string }>(input: {
  method: "password" | "recovery";
  /** The normalised email the attempt names (counted whether or not an account exists). */
  email: string;
  ip: string | null;
  /** The account's id if it exists, for the audit trail only. */
  userId: string | null;
  lockout: Lockout;
  attempt: () => Promise<SignInAttempt<U>>;
}): Promise<U | null> {
  const { method, email, ip, userId, lockout } = input;
  // Both points are taken before the password is checked, so racing attempts can't all be evaluated
  // before the first failure is written back (PSD2 RTS Art. 4(3)(b) counts attempts).
  const [account, address] = await Promise.all([lockout.take(email), ip ? ipSignInLockout.take(ip) : null]);
  if (!account.ok || (address && !address.ok)) {
    // Whichever was admitted gets its point back: nothing was evaluated.
    await Promise.all([account.ok ? account.ticket.refund() : null, address?.ok ? address.ticket.refund() : null]);
    await recordAudit({
      userId,
      action: "auth.sign_in",
      outcome: "DENIED",
      reason: account.ok ? "ip_paused" : "account_paused",
      metadata: { method },
    });
    throw new SignInPaused();
  }
  const result = await input.attempt();
  await recordAudit({
    userId,
    action: "auth.sign_in",
    outcome: result.ok ? "SUCCESS" : "FAILURE",
    reason: result.ok ? undefined : result.reason,
    metadata: { method },
  });
  if (result.ok) {
    // A success ends the account's run of failures; for the address it only gives this point back,
    // so someone stuffing credentials can't reset the per-IP count with an account of their own.
    await Promise.all([account.ticket.succeeded(), address?.ok ? address.ticket.refund() : null]);
    return result.user;
  }
  const after = account.ticket.failed(); // the address's point stays too
  if (after.locked) {
    await recordAudit({
      userId,
      action: "auth.sign_in_locked",
      outcome: "DENIED",
      reason: "too_many_failures",
      metadata: { method, minutes: LOCKOUT.blockS / 60 },
    });
    throw new SignInPaused();
  }
  if (after.failures >= LOCKOUT.warnAfter) throw new SignInFailedWithWarning(LOCKOUT.maxFailures - after.failures);
  return null;
}

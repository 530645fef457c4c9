import "server-only";
import { LOCKOUT, lockedMessage, passwordLockout } from "@/lib/assurance/lockout";
import { recordAudit } from "@/lib/audit/log";
import { verifyPassword } from "@/lib/auth/password";
import { PASSWORD_MAX_LENGTH } from "@/lib/auth/password-rules";
import { db } from "@/lib/db";

/**
 * Checks a signed-in user's password again (first-passkey bootstrapping, password change). Failures
 * are counted in the database and lock the check for 15 minutes after 5 (PSD2 RTS Art. 4(3)(b)), so
 * a stolen session can't guess the password to enrol its own passkey, not even with racing requests.
 * Every attempt is audited as `action`.
 */
export async function verifyPasswordAgain(
  userId: string,
  password: unknown,
  action: "auth.reauth" | "auth.password_change",
): Promise<{ ok: true } | { ok: false; message: string }> {
  // The point is taken before the password is checked: racing re-entries from one session can't all
  // be evaluated before the first failure is counted.
  const taken = await passwordLockout.take(userId);
  if (!taken.ok) {
    await recordAudit({ userId, action, outcome: "DENIED", reason: "locked_out" });
    return { ok: false, message: lockedMessage(taken.state, "Password confirmation") };
  }
  const row = await db.user.findUnique({ where: { id: userId }, select: { passwordHash: true } });
  const ok =
    typeof password === "string" &&
    password.length <= PASSWORD_MAX_LENGTH &&
    !!row &&
    (await verifyPassword(row.passwordHash, password));
  if (ok) {
    await taken.ticket.succeeded();
    return { ok: true };
  }
  const after = taken.ticket.failed();
  await recordAudit({
    userId,
    action,
    outcome: "FAILURE",
    reason: "wrong_password",
    metadata: { failures: after.failures },
  });
  if (after.locked) {
    await recordAudit({
      userId,
      action: "auth.reauth_locked",
      outcome: "DENIED",
      reason: "too_many_failures",
      metadata: { minutes: LOCKOUT.blockS / 60 },
    });
    return { ok: false, message: lockedMessage(after, "Password confirmation") };
  }
  const left = LOCKOUT.maxFailures - after.failures;
  return {
    ok: false,
    message:
      after.failures >= LOCKOUT.warnAfter
        ? `That password isn't right. ${left} attempt${left === 1 ? "" : "s"} left before password confirmation is paused for 15 minutes.`
        : "That password isn't right.",
  };
}

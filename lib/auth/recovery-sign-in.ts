import "server-only";
import { z } from "zod";
import { startRecoveryHold } from "@/lib/assurance/recovery-hold";
import { recordAudit } from "@/lib/audit/log";
import { recoverySignInClaims } from "@/lib/auth/claims";
import { accountFreezeOf } from "@/lib/auth/freeze";
import { burnPasswordCheck, verifyPassword } from "@/lib/auth/password";
import { PASSWORD_MAX_LENGTH } from "@/lib/auth/password-rules";
import { findRecoveryCode, useRecoveryCode } from "@/lib/auth/recovery-codes";
import { limitedSignIn, recoverySignInLockout } from "@/lib/auth/sign-in-limits";
import { normaliseEmail } from "@/lib/auth/email";
import { db } from "@/lib/db";
import { notify, utcTime } from "@/lib/notify/messages";

/**
 * Recovery when every passkey is lost (NIST SP 800-63B-4 §4.2, account recovery with saved recovery
 * codes): the password AND an unused recovery code sign in with claims that can enrol a new passkey
 * within 15 minutes and nothing stronger (lib/auth/claims.ts recoverySignInClaims). The same sign-in
 * starts the cooling-off period that holds new payees, payout changes and payments needing step-up.
 */
const recoverySchema = z.object({
  email: z.string().trim().min(1).max(254).transform(normaliseEmail),
  password: z.string().min(1).max(PASSWORD_MAX_LENGTH),
  code: z.string().min(1).max(64),
});

/** The Credentials provider "recovery": the user with recovery claims, or null (or a limiter error). */
export async function authenticateWithRecoveryCode(raw: unknown, ip: string | null = null) {
  const parsed = recoverySchema.safeParse(raw);
  if (!parsed.success) return null;
  const { email, password, code } = parsed.data;
  const user = await db.user.findUnique({
    where: { email },
    select: { id: true, email: true, name: true, passwordHash: true },
  });
  return limitedSignIn({
    method: "recovery",
    email,
    ip,
    userId: user?.id ?? null,
    lockout: recoverySignInLockout,
    attempt: async () => {
      // Both checks always run, so the time taken doesn't tell a right password from a right code.
      const passwordOk = user ? await verifyPassword(user.passwordHash, password) : await burnPasswordCheck(password);
      const codeId = await findRecoveryCode(user?.id ?? null, code);
      if (!user) return { ok: false, reason: "unknown_email" };
      if (!passwordOk) return { ok: false, reason: "wrong_password" };
      if (!codeId) return { ok: false, reason: "wrong_recovery_code" };
      const now = new Date();
      const used = await db.$transaction(async (tx) => {
        // A frozen account refuses recovery-code sign-in (lib/auth/freeze.ts), read in the transaction
        // that would use the code, so a freeze just committed is seen and the code isn't spent.
        if (await accountFreezeOf(user.id, tx, now)) return "frozen" as const;
        if (!(await useRecoveryCode(tx, user.id, codeId, now))) return false; // a racing sign-in used it first
        const hold = await startRecoveryHold(tx, user.id, now);
        const left = await tx.recoveryCode.count({ where: { userId: user.id, usedAt: null } });
        await recordAudit(
          { userId: user.id, action: "recovery.code_used", outcome: "SUCCESS", metadata: { codesLeft: left } },
          tx,
        );
        await recordAudit(
          {
            userId: user.id,
            action: "recovery.hold_started",
            outcome: "SUCCESS",
            metadata: { until: hold.until.toISOString(), since: hold.startedAt.toISOString() },
          },
          tx,
        );
        await notify(tx, user.id, "recovery.sign_in", { until: utcTime(hold.until) }, now);
        if (hold.cancelledIntents > 0) {
          // Confirmations asked for before this sign-in may be the thief's: they end here, audited.
          await recordAudit(
            {
              userId: user.id,
              action: "step_up.cancel",
              outcome: "SUCCESS",
              reason: "recovery_sign_in",
              metadata: { count: hold.cancelledIntents },
            },
            tx,
          );
        }
        return true;
      });
      if (used === "frozen") return { ok: false, reason: "account_frozen" };
      if (!used) return { ok: false, reason: "recovery_code_already_used" };
      return { ok: true, user: { id: user.id, email: user.email, name: user.name, claims: recoverySignInClaims(now) } };
    },
  });
}

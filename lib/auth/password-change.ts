import "server-only";
import { z } from "zod";
import { guard, type GuardActor } from "@/lib/assurance/guard";
import { revokeAccessTokensOf } from "@/lib/api/tokens";
import { recordAudit } from "@/lib/audit/log";
import { hashPassword } from "@/lib/auth/password";
import { verifyPasswordAgain } from "@/lib/auth/reauth";
import { PASSWORD_MAX_LENGTH } from "@/lib/auth/password-rules";
import { rotateSessionToken } from "@/lib/auth/raise-claims";
import { requireUser } from "@/lib/auth/session";
import { revokeOtherSessions } from "@/lib/auth/sessions";
import { signUpSchema } from "@/lib/auth/users";
import { db } from "@/lib/db";
import { DomainError, InputError, parseInput } from "@/lib/errors";

const changeSchema = z.object({
  currentPassword: z.string({ error: "Enter your current password." }).min(1, "Enter your current password.").max(PASSWORD_MAX_LENGTH),
  // The same rules as sign-up (NIST SP 800-63B-4 §3.1.1.2: length, no composition rules).
  newPassword: signUpSchema.shape.password,
});

/**
 * The web form's password change. When it applies at once (a recent passkey), this session's token is
 * rotated too (OWASP ASVS 5 V7.2.4); when it needs a step-up, the step-up rotates it as it resumes
 * the change (lib/auth/raise-claims.ts).
 */
export async function changePassword(raw: unknown): Promise<void> {
  const user = await requireUser();
  await changePasswordAs(user, raw);
  await rotateSessionToken(user);
}

/**
 * Changes the password: the current one is checked (OWASP ASVS 5 V6.2.3), the new one hashed, and
 * then policy "password.change" applies (a passkey within 5 minutes; ASVS 5 V7.5.1). When step-up is
 * needed, the pending intent holds only the new argon2id hash, never the password, so the change
 * resumes after the passkey without retyping.
 */
export async function changePasswordAs(actor: GuardActor, raw: unknown): Promise<void> {
  const input = parseInput(changeSchema, raw);
  const checked = await verifyPasswordAgain(actor.id, input.currentPassword, "auth.password_change");
  if (!checked.ok) {
    throw new DomainError("wrong_password", checked.message.replace("That password isn't right.", "That isn't your current password."), "currentPassword");
  }
  if (input.newPassword === input.currentPassword) throw new InputError({ newPassword: "Choose a password you aren't using now." });
  await applyPasswordChangeAs(actor, { passwordHash: await hashPassword(input.newPassword) });
}

/** The guarded part, also what step-up resumes: sets the already-hashed new password. */
export async function applyPasswordChangeAs(actor: GuardActor, change: { passwordHash: unknown }, options: { intentId?: string } = {}): Promise<void> {
  if (typeof change.passwordHash !== "string" || !change.passwordHash.startsWith("$argon2id$")) {
    throw new DomainError("intent_invalid", "This confirmation doesn't match the operation any more. Please start again.");
  }
  const pass = await guard(actor, "password.change", { payload: { passwordHash: change.passwordHash }, intentId: options.intentId });
  await db.$transaction(async (tx) => {
    await pass.consume(tx, { password: "changed" });
    await tx.user.update({ where: { id: actor.id }, data: { passwordHash: change.passwordHash as string, passwordChangedAt: new Date() } });
    // OWASP ASVS 5 V7.4.3: a new password ends every other session.
    const ended = await revokeOtherSessions(tx, actor, "password_changed");
    // And every API access token (README, "Sessions"): a thief with the old password may have minted one.
    const tokensEnded = await revokeAccessTokensOf(tx, actor.id);
    await recordAudit({ userId: actor.id, action: "auth.password_change", outcome: "SUCCESS", metadata: { otherSessionsEnded: ended, apiAccessTokensEnded: tokensEnded } }, tx);
  });
}

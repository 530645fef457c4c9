import "server-only";
import { notify } from "@/lib/notify/messages";
import { z } from "zod";
import { defineOperation, type Actor } from "@/lib/assurance/operation";
import { revokeAccessTokensOf } from "@/lib/api/tokens";
import { recordAudit } from "@/lib/audit/log";
import { hashPassword } from "@/lib/auth/password";
import { verifyPasswordAgain } from "@/lib/auth/reauth";
import { PASSWORD_MAX_LENGTH } from "@/lib/auth/password-rules";
import { revokeOtherSessions } from "@/lib/auth/session-records";
import { signUpSchema } from "@/lib/auth/users";
import { DomainError, InputError, parseInput } from "@/lib/errors";

const changeSchema = z.object({
  currentPassword: z
    .string({ error: "Enter your current password." })
    .min(1, "Enter your current password.")
    .max(PASSWORD_MAX_LENGTH),
  // The same rules as sign-up (NIST SP 800-63B-4 §3.1.1.2: length, no composition rules).
  newPassword: signUpSchema.shape.password,
});

/**
 * The form's checks before the guarded change: the current password (OWASP ASVS 5 V6.2.3) and the
 * new one's rules. Returns the operation's input: only the new argon2id hash, never the password, so
 * a pending intent holds no password and the change resumes after the passkey without retyping.
 */
export async function passwordChangeInput(actor: Actor, raw: unknown): Promise<{ passwordHash: string }> {
  const input = parseInput(changeSchema, raw);
  const checked = await verifyPasswordAgain(actor.id, input.currentPassword, "auth.password_change");
  if (!checked.ok) {
    throw new DomainError(
      "wrong_password",
      checked.message.replace("That password isn't right.", "That isn't your current password."),
      "currentPassword",
    );
  }
  if (input.newPassword === input.currentPassword)
    throw new InputError({ newPassword: "Choose a password you aren't using now." });
  return { passwordHash: await hashPassword(input.newPassword) };
}

/**
 * Sets the already-hashed new password under policy "password.change" (a passkey within 5 minutes;
 * OWASP ASVS 5 V7.5.1). The web form rotates this session's token when it applies at once (ASVS 5
 * V7.2.4); a step-up rotates it as it resumes the change (lib/auth/raise-claims.ts).
 */
export const passwordChange = defineOperation({
  policies: ["password.change"],
  input: z.object({
    passwordHash: z
      .string()
      .startsWith("$argon2id$", "This confirmation doesn't match the operation any more. Please start again.")
      .max(512),
  }),
  prepare: async (_actor, { passwordHash }) => ({ action: "password.change", payload: { passwordHash }, carry: null }),
  inputOf: (p) => ({ passwordHash: p.passwordHash }),
  describe: () => ({
    title: "Change your password",
    details: [],
    after: "Your new password takes effect as soon as you confirm; you won't need to type it again.",
    backTo: "/settings/security",
  }),
  async run(tx, actor, { payload }) {
    await tx.user.update({
      where: { id: actor.id },
      data: { passwordHash: payload.passwordHash, passwordChangedAt: new Date() },
    });
    // OWASP ASVS 5 V7.4.3: a new password ends every other session.
    const ended = await revokeOtherSessions(tx, actor, "password_changed");
    // And every API access token (README, "Sessions"): a thief with the old password may have minted one.
    const tokensEnded = await revokeAccessTokensOf(tx, actor.id);
    await recordAudit(
      {
        userId: actor.id,
        action: "auth.password_change",
        outcome: "SUCCESS",
        metadata: { otherSessionsEnded: ended, apiAccessTokensEnded: tokensEnded },
      },
      tx,
    );
    await notify(tx, actor.id, "password.changed", {});
    return { otherSessionsEnded: ended };
  },
  record: () => ({ password: "changed" }),
  resume: { kind: "run", to: () => "/settings/security?password=changed", label: "Back to security" },
  success: "Password changed.",
  audit: { action: "auth.password_change", label: "Password changed" },
  example: () => ({
    passwordHash: "$argon2id$v=19$m=19456,t=2,p=1$ZXhhbXBsZXNhbHQ$ZXhhbXBsZWhhc2hleGFtcGxlaGFzaGV4YW1wbGU",
  }),
});

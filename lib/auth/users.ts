import "server-only";
import { z } from "zod";
import { recordAudit } from "@/lib/audit/log";
import { normaliseEmail } from "@/lib/auth/email";
import { burnPasswordCheck, hashPassword, verifyPassword } from "@/lib/auth/password";
import { isCommonPassword } from "@/lib/auth/common-passwords";
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from "@/lib/auth/password-rules";
import { openDefaultAccounts } from "@/lib/banking/opening";
import { accountSignInLockout, limitedSignIn } from "@/lib/auth/sign-in-limits";
import { db } from "@/lib/db";
import { DomainError } from "@/lib/errors";

const email = z
  .string({ error: "Enter your email address." })
  .trim()
  .min(1, "Enter your email address.")
  .max(254, "That email address is too long.")
  .pipe(z.email("Enter a valid email address, like name@example.com."))
  .transform(normaliseEmail);

export const signUpSchema = z.object({
  name: z
    .string({ error: "Enter your name." })
    .trim()
    .min(1, "Enter your name.")
    .max(100, "Use at most 100 characters for your name."),
  email,
  // NIST SP 800-63B-4 §3.1.1.2: length, not composition rules. Counted in code points.
  password: z
    .string({ error: "Choose a password." })
    .refine((p) => [...p].length >= PASSWORD_MIN_LENGTH, `Use at least ${PASSWORD_MIN_LENGTH} characters.`)
    .refine((p) => [...p].length <= PASSWORD_MAX_LENGTH, `Use at most ${PASSWORD_MAX_LENGTH} characters.`)
    // §3.1.1.2 again: a blocklist of common and expected passwords, instead of composition rules.
    .refine(
      (p) => !isCommonPassword(p),
      "That's a well-known phrase or a common password, so it's easy to guess. Try words only you would put together.",
    ),
});
export type SignUpInput = z.infer<typeof signUpSchema>;

export const signInSchema = z.object({
  email,
  password: z.string().min(1).max(PASSWORD_MAX_LENGTH),
});

/** Creates the user and opens their default accounts in one transaction. */
export async function createUser(input: SignUpInput) {
  const passwordHash = await hashPassword(input.password);
  try {
    return await db.$transaction(async (tx) => {
      const user = await tx.user.create({ data: { name: input.name, email: input.email, passwordHash } });
      await openDefaultAccounts(tx, user.id);
      await recordAudit({ userId: user.id, action: "auth.sign_up", outcome: "SUCCESS" }, tx);
      return { id: user.id, email: user.email, name: user.name };
    });
  } catch (err) {
    if ((err as { code?: string }).code === "P2002") {
      // Sign-up can't hide that an email is taken without an email round trip; keep it non-committal.
      throw new DomainError(
        "email_taken",
        "We couldn't create an account with that email. If it's yours, sign in.",
        "email",
      );
    }
    throw err;
  }
}

/**
 * Returns the user for a correct email and password, else null, in equal time either way. Failures
 * are limited per email and per IP (lib/auth/sign-in-limits.ts): from the 3rd failure it throws
 * SignInFailedWithWarning, and while locked SignInPaused, the same for an email with no account.
 */
export async function authenticateWithPassword(raw: unknown, ip: string | null = null) {
  const parsed = signInSchema.safeParse(raw);
  if (!parsed.success) return null;
  const email = parsed.data.email;
  const user = await db.user.findUnique({
    where: { email },
    select: { id: true, email: true, name: true, passwordHash: true },
  });
  return limitedSignIn({
    method: "password",
    email,
    ip,
    userId: user?.id ?? null,
    lockout: accountSignInLockout,
    attempt: async () => {
      if (!user) {
        await burnPasswordCheck(parsed.data.password);
        return { ok: false, reason: "unknown_email" };
      }
      if (!(await verifyPassword(user.passwordHash, parsed.data.password)))
        return { ok: false, reason: "wrong_password" };
      return { ok: true, user: { id: user.id, email: user.email, name: user.name } };
    },
  });
}

"use server";

import { z } from "zod";
import { AuthError, CredentialsSignin } from "next-auth";
import { redirect } from "next/navigation";
import { signIn } from "@/lib/auth/config";
import { env } from "@/lib/env";
import { safeNextPath } from "@/lib/auth/redirects";
import { setFlash } from "@/lib/flash-server";
import { createUser, signUpSchema } from "@/lib/auth/users";
import { DomainError } from "@/lib/errors";
import { type ActionState, isFormData, unreadableForm } from "@/app/_lib/action-state";
import { beginPasskeySignIn } from "@/lib/webauthn/sign-in";
import { BRAND } from "@/lib/brand";

/** Single sign-on: off to the IdP (Auth.js' authorization request), back to `next` once signed in. */
export async function ssoSignInAction(formData: FormData): Promise<void> {
  if (!env.SSO) redirect("/login"); // not configured: there is no such way to sign in
  await signIn("sso", { redirectTo: safeNextPath(isFormData(formData) ? formData.get("next") : null) });
}

/** One message for every sign-in failure: it must not reveal whether the email has an account. */
const SIGN_IN_FAILED = "That email and password don't match an account. Check them and try again.";

/** Text fields to show again after an error: trimmed, bounded, never a password. */
function keep(formData: FormData, ...names: string[]): Record<string, string> {
  const values: Record<string, string> = {};
  for (const name of names) {
    const value = formData.get(name);
    values[name] = typeof value === "string" ? value.slice(0, 254) : "";
  }
  return values;
}

/**
 * The message for a failed sign-in: the same whether or not the email has an account. `what` names
 * the kind of sign-in that a lock pauses ("Password sign-in").
 */
function signInFailureMessage(err: AuthError, failed: string, what: string, alternative = ""): string {
  const code = err instanceof CredentialsSignin ? err.code : "";
  if (code === "paused") return `Too many attempts. ${what} for this email is paused for 15 minutes.${alternative}`;
  const left = /^attempts_left_(\d)$/.exec(code)?.[1];
  if (left)
    return `${failed} ${left} attempt${left === "1" ? "" : "s"} left before ${what.toLowerCase()} is paused for 15 minutes.`;
  return failed;
}

export async function signInAction(_prev: ActionState, formData: FormData): Promise<ActionState> {
  if (!isFormData(formData)) return unreadableForm;
  try {
    await signIn("password", {
      email: formData.get("email"),
      password: formData.get("password"),
      redirectTo: safeNextPath(formData.get("next")),
    });
  } catch (err) {
    // Success is a thrown redirect, which must propagate; only Auth.js' own errors are failures.
    if (err instanceof AuthError) {
      const message = signInFailureMessage(
        err,
        SIGN_IN_FAILED,
        "Password sign-in",
        " You can still sign in with a passkey.",
      );
      return { status: "error", message, fieldErrors: {}, values: keep(formData, "email") };
    }
    throw err;
  }
  return { status: "idle" };
}

const RECOVERY_FAILED = "That email, password and recovery code don't match an unused code. Check them and try again.";

/**
 * Signs in with the password and a recovery code, then goes to the security settings to enrol a new
 * passkey. Failures share one message, whatever was wrong, as password sign-in does.
 */
export async function recoverySignInAction(_prev: ActionState, formData: FormData): Promise<ActionState> {
  if (!isFormData(formData)) return unreadableForm;
  try {
    await signIn("recovery", {
      email: formData.get("email"),
      password: formData.get("password"),
      code: formData.get("code"),
      redirectTo: "/settings/security?recovered=1",
    });
  } catch (err) {
    if (err instanceof AuthError) {
      const message = signInFailureMessage(err, RECOVERY_FAILED, "Recovery sign-in");
      return { status: "error", message, fieldErrors: {}, values: keep(formData, "email") };
    }
    throw err;
  }
  return { status: "idle" };
}

/** Options for a usernameless passkey sign-in (public: nobody is signed in yet). */
export async function passkeySignInOptionsAction() {
  return beginPasskeySignIn();
}

const PASSKEY_SIGN_IN_FAILED = `That passkey wasn't accepted. It may have been removed from your ${BRAND.name} account. Try again, or sign in with your password.`;

/** Signs in with a passkey assertion; lib/webauthn/sign-in.ts verifies it. Success is a redirect. */
export async function passkeySignInAction(
  response: unknown,
  next: unknown,
): Promise<{ ok: false; message: string } | undefined> {
  let text: string;
  try {
    text = JSON.stringify(response ?? null); // a crafted call can send values JSON can't hold (a BigInt)
  } catch {
    return { ok: false, message: PASSKEY_SIGN_IN_FAILED };
  }
  try {
    await signIn("passkey", { response: text, redirectTo: safeNextPath(next) });
  } catch (err) {
    if (err instanceof AuthError) return { ok: false, message: PASSKEY_SIGN_IN_FAILED };
    throw err;
  }
}

export async function signUpAction(_prev: ActionState, formData: FormData): Promise<ActionState> {
  if (!isFormData(formData)) return unreadableForm;
  const values = keep(formData, "name", "email");
  const parsed = signUpSchema.safeParse({
    name: formData.get("name") ?? undefined,
    email: formData.get("email") ?? undefined,
    password: formData.get("password") ?? undefined,
  });
  if (!parsed.success) {
    const fieldErrors = Object.fromEntries(
      Object.entries(z.flattenError(parsed.error).fieldErrors).map(([field, messages]) => [field, messages?.[0]]),
    );
    return { status: "error", message: "Check the highlighted fields.", fieldErrors, values };
  }
  try {
    await createUser(parsed.data);
  } catch (err) {
    if (err instanceof DomainError) {
      return {
        status: "error",
        message: err.userMessage,
        fieldErrors: err.field ? { [err.field]: err.userMessage } : {},
        values,
      };
    }
    throw err;
  }
  await setFlash("welcome");
  await signIn("password", { email: parsed.data.email, password: parsed.data.password, redirectTo: "/dashboard" });
  return { status: "idle" };
}

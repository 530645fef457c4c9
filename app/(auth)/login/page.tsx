import type { Metadata } from "next";
import Link from "next/link";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { AuthCard } from "@/app/_components/auth-card";
import { getSessionUser } from "@/lib/auth/current-user";
import { safeNextPath } from "@/lib/auth/redirects";
import { buttonClass } from "@/app/_components/button";
import { env } from "@/lib/env";
import { ssoRefusalMessage } from "@/lib/auth/sso";
import { ssoSignInAction } from "../actions";
import { LoginForm } from "./login-form";
import { PasskeySignIn } from "./passkey-sign-in";
import { BRAND } from "@/lib/brand";

export const metadata: Metadata = { title: "Sign in" };

export default async function LoginPage({
  searchParams,
}: {
  searchParams: Promise<{
    next?: string | string[];
    error?: string | string[];
    reason?: string | string[];
    signed_out?: string | string[];
  }>;
}) {
  const { next, error, reason, signed_out: signedOut } = await searchParams;
  const nextPath = safeNextPath(Array.isArray(next) ? next[0] : next);
  if (await getSessionUser()) redirect(nextPath);
  // A session cookie that no longer signs anyone in: the session ended (idle, its time limit, or
  // signed out from another device). Signing out here clears the cookie, and says so instead.
  const ended =
    signedOut === undefined &&
    (await cookies()).getAll().some((c) => /^(__Secure-)?authjs\.session-token(\.\d+)?$/.test(c.name));
  return (
    <AuthCard
      title={`Sign in to ${BRAND.name}`}
      footer={
        <>
          New to {BRAND.name}?{" "}
          <Link href="/signup" className="font-medium text-accent-700 underline">
            Open an account
          </Link>
        </>
      }
    >
      <div className="space-y-5">
        {signedOut !== undefined && error === undefined && (
          <p
            role="status"
            data-testid="signed-out"
            className="rounded-lg border border-emerald-200 bg-emerald-50 px-3 py-2 text-sm font-medium text-emerald-800"
          >
            You&apos;ve signed out. Sign in again whenever you&apos;re ready.
          </p>
        )}
        {ended && error === undefined && (
          <p
            role="status"
            data-testid="session-ended"
            className="rounded-lg border border-amber-200 bg-amber-50 px-3 py-2 text-sm font-medium text-amber-900"
          >
            Your session ended, so you&apos;ve been signed out. Sign in again to carry on.
          </p>
        )}
        {error !== undefined && (
          <p
            role="alert"
            data-testid="sign-in-error"
            className="rounded-lg border border-red-200 bg-red-50 px-3 py-2 text-sm font-medium text-red-800"
          >
            {error === "SsoRefused" && env.SSO
              ? ssoRefusalMessage(Array.isArray(reason) ? reason[0] : reason, env.SSO.name, BRAND.name)
              : "That sign-in didn't complete, so you're not signed in. Try again, or sign in another way."}
          </p>
        )}
        <LoginForm next={nextPath} />
        <div className="flex items-center gap-3 text-xs text-slate-500" aria-hidden="true">
          <span className="h-px flex-1 bg-slate-200" />
          or
          <span className="h-px flex-1 bg-slate-200" />
        </div>
        <PasskeySignIn next={nextPath} />
        {env.SSO && (
          <form action={ssoSignInAction}>
            <input type="hidden" name="next" value={nextPath} />
            <button type="submit" className={buttonClass("secondary", "md", "w-full")}>
              Sign in with {env.SSO.name}
            </button>
          </form>
        )}
        <p className="text-center text-sm text-slate-600">
          Lost your passkey?{" "}
          <Link href="/login/recover" className="font-medium text-accent-700 underline">
            Use a recovery code
          </Link>
        </p>
      </div>
    </AuthCard>
  );
}

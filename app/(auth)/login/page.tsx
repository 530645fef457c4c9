import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { AuthCard } from "@/app/_components/auth-card";
import { getSessionUser } from "@/lib/auth/session";
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
  searchParams: Promise<{ next?: string | string[]; error?: string | string[]; reason?: string | string[] }>;
}) {
  const { next, error, reason } = await searchParams;
  const nextPath = safeNextPath(Array.isArray(next) ? next[0] : next);
  if (await getSessionUser()) redirect(nextPath);
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

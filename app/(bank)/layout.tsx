import type { ReactNode } from "react";
import { getMyStanding } from "@/lib/notify/my-notices";
import Link from "next/link";
import { requireUser } from "@/lib/auth/current-user";
import { Logo } from "@/app/_components/logo";
import { MainNav } from "./_components/main-nav";
import { signOutAction } from "./actions";

/**
 * Chrome for signed-in pages. Layouts don't re-run on client navigation, so this check is only a
 * convenience: every page and every lib/ function checks the session again by itself.
 */
export default async function BankLayout({ children }: { children: ReactNode }) {
  const user = await requireUser();
  const { hold, freeze } = await getMyStanding();
  return (
    <div className="min-h-screen">
      <header className="border-b border-slate-200 bg-white print:hidden">
        {/* From md up the navigation sits between logo and account; on a phone it is a tab bar at the bottom. */}
        <div className="mx-auto flex max-w-5xl items-center justify-between gap-x-6 gap-y-2 px-4 py-3 sm:px-6">
          <div className="flex items-center gap-6">
            <Logo href="/dashboard" />
            <MainNav />
          </div>
          <div className="flex items-center gap-3 text-sm">
            <span className="hidden text-slate-600 lg:inline" data-testid="signed-in-as">
              {user.email}
            </span>
            <form action={signOutAction}>
              <button
                type="submit"
                className="rounded-lg border border-slate-300 px-3 py-1.5 font-medium hover:bg-slate-100"
              >
                Sign out
              </button>
            </form>
          </div>
        </div>
      </header>
      {freeze && (
        <div className="border-b border-red-200 bg-red-50" data-testid="account-frozen" role="status">
          <p className="mx-auto max-w-5xl px-4 py-2 text-sm text-red-950 sm:px-6">
            <strong>Your account is frozen.</strong> Payments, payee and payout changes, new passkeys and new API tokens
            are refused.{" "}
            <Link href="/settings/security#freeze" className="font-medium underline">
              {freeze.unfreezesAt ? "See when it works again" : "Unfreeze it"}
            </Link>
          </p>
        </div>
      )}
      {hold && (
        <div className="border-b border-amber-200 bg-amber-50" data-testid="recovery-hold">
          <p className="mx-auto max-w-5xl px-4 py-2 text-sm text-amber-950 sm:px-6">
            <strong>Recovery cooling-off until {hold.text}.</strong> You signed in with a recovery code, so new payees,
            payout changes and payments that need your passkey are on hold until then. If this wasn&apos;t you, change
            your password now.
          </p>
        </div>
      )}
      <main className="mx-auto max-w-5xl px-4 py-8 sm:px-6">{children}</main>
    </div>
  );
}

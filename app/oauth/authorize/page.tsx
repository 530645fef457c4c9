import { IntentDetails } from "@/app/_components/intent-details";
import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { StepUpCeremony } from "@/app/(bank)/step-up/[intentId]/step-up-ceremony";
import { buttonClass } from "@/app/_components/button";
import { Logo } from "@/app/_components/logo";
import { authorizeViewFor, parseAuthorizeQuery } from "@/lib/api/authorize";
import { SCOPES } from "@/lib/api/scopes";
import { getSessionUser } from "@/lib/auth/current-user";
import { BRAND } from "@/lib/brand";
import { beginApiStepUpAction, cancelApiStepUpAction, completeApiStepUpAction } from "./actions";
import { cancelledByRecoveryMessage } from "@/lib/assurance/recovery-hold";

export const metadata: Metadata = { title: "Confirm an app's request" };

/**
 * Where an API client sends the customer to confirm the operation it registered (README "API"): the
 * client's name, exactly what it wants to do, and the passkey ceremony; on success the browser goes
 * back to the client's loopback redirect with a one-minute code. Not signed in: sign in first, then
 * come back here.
 */
export default async function AuthorizePage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const raw = await searchParams;
  const query: Record<string, string> = Object.fromEntries(
    Object.entries(raw).filter((e): e is [string, string] => typeof e[1] === "string"),
  );
  const user = await getSessionUser();
  if (!user) redirect(`/login?next=${encodeURIComponent(`/oauth/authorize?${new URLSearchParams(query)}`)}`);
  const view = await authorizeViewFor(user, parseAuthorizeQuery(raw));
  return (
    <div className="mx-auto max-w-lg space-y-6 px-4 py-8">
      <Logo href="/dashboard" />
      {!view.ok ? (
        <div
          role="alert"
          className="rounded-xl border border-amber-200 bg-amber-50 p-4 text-sm text-amber-900"
          data-testid="authorize-error"
        >
          <p className="font-medium">There is nothing to confirm.</p>
          <p className="mt-1">{view.message}</p>
          <Link href="/dashboard" className="mt-2 block font-medium underline">
            Go to your accounts
          </Link>
        </div>
      ) : (
        <>
          <div>
            <p className="text-sm font-medium text-accent-700">An app asks you to confirm</p>
            <h1 className="mt-1 text-2xl font-semibold tracking-tight" data-testid="step-up-title">
              {view.description.title}
            </h1>
            <p className="mt-2 text-slate-600">
              <strong className="text-slate-900">{view.clientName}</strong>, using one of your API tokens, wants to do
              this. Your passkey signs exactly what is shown below, and only once. The app then gets a single-use
              permission ({SCOPES[view.scope].toLowerCase()}) for this one operation, for two minutes.
            </p>
          </div>
          <IntentDetails description={view.description} testId="step-up-details" />
          {view.intent.status !== "PENDING" ? (
            <p
              role="alert"
              className="rounded-xl border border-amber-200 bg-amber-50 p-4 text-sm text-amber-900"
              data-testid="step-up-status"
            >
              {view.intent.status === "EXPIRED"
                ? "This request expired: for your safety it lasts only a few minutes. Nothing was sent or changed. Ask the app to start again."
                : view.intent.status === "CANCELLED"
                  ? view.intent.cancelReason === "recovery_sign_in"
                    ? cancelledByRecoveryMessage
                    : "You declined this. Nothing was sent or changed."
                  : "This was already confirmed."}
            </p>
          ) : view.passkeyNames.length === 0 ? (
            <p className="rounded-xl border border-slate-200 bg-white p-5 text-sm">
              You need a passkey to confirm an app&apos;s request.{" "}
              <Link href="/settings/security" className="font-medium underline">
                Add one in Security
              </Link>
              , then ask the app to start again.
            </p>
          ) : (
            <StepUpCeremony
              intentId={view.intent.id}
              expiresAtMs={view.intent.expiresAt.getTime()}
              backTo="/dashboard"
              passkeyNames={view.passkeyNames}
              spc={view.spc}
              after={`${BRAND.name} then sends you back to the app, which finishes the operation.`}
              initialLockout={
                view.lockout.locked
                  ? `Too many failed attempts. Passkey confirmation is paused for ${Math.ceil(view.lockout.retryAfterS / 60)} minute(s).`
                  : null
              }
              actions={{
                begin: beginApiStepUpAction.bind(null, query),
                complete: completeApiStepUpAction.bind(null, query),
              }}
            />
          )}
          {view.intent.status === "PENDING" && (
            <form action={cancelApiStepUpAction.bind(null, query)}>
              <button type="submit" className={buttonClass("secondary", "md", "w-full")}>
                Decline
              </button>
            </form>
          )}
        </>
      )}
    </div>
  );
}

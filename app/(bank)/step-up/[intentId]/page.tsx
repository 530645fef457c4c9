import type { Metadata } from "next";
import { IntentDetails } from "@/app/_components/intent-details";
import Link from "next/link";
import { notFound } from "next/navigation";
import { requireUser } from "@/lib/auth/current-user";
import { getStepUpView } from "@/lib/assurance/step-up";
import { buttonClass } from "@/app/_components/button";
import { ssoStepUpFor } from "@/lib/auth/sso";
import { beginSsoStepUpAction, cancelStepUpAction, editStepUpAction } from "./actions";
import { StepUpCeremony } from "./step-up-ceremony";
import { BRAND } from "@/lib/brand";
import { cancelledByRecoveryMessage } from "@/lib/assurance/recovery-hold";

export const metadata: Metadata = { title: "Confirm with your passkey" };

/** What went wrong with a step-up through the IdP, for people (lib/auth/sso-step-up.ts's problems). */
function ssoMessage(problem: string, idp: string): string | null {
  const messages: Record<string, string> = {
    acr: `${idp} signed you in without the extra check ${BRAND.name} asked for, so this wasn't confirmed. Nothing was sent or changed. Try again; if it happens again, use a passkey, or ask your IT team to enable it for ${BRAND.name}.`,
    stale: `${idp} didn't ask you to sign in again, so this wasn't confirmed. Nothing was sent or changed. Try again.`,
    state: `That answer from ${idp} wasn't for this confirmation, or was already used, so it was refused. Nothing was sent or changed. Start the confirmation again.`,
    id_token: `${idp}'s answer couldn't be verified, so it was refused. Nothing was sent or changed. Try again.`,
    idp_error: `${idp} didn't complete the sign-in. Nothing was sent or changed. Try again.`,
    other_account: `You signed in to ${idp} as someone else, so this wasn't confirmed. Nothing was sent or changed.`,
    operation: "You confirmed, but the operation couldn't go ahead. Nothing was sent or changed.",
    not_available: `Confirming with ${idp} isn't available for your account. Use a passkey.`,
    intent: "This confirmation can't continue. Start again.",
  };
  return Object.hasOwn(messages, problem) ? messages[problem] : null;
}

export default async function StepUpPage({
  params,
  searchParams,
}: {
  params: Promise<{ intentId: string }>;
  searchParams: Promise<{ sso?: string }>;
}) {
  const user = await requireUser();
  const [{ intentId }, { sso: ssoProblem }] = await Promise.all([params, searchParams]);
  const view = await getStepUpView(intentId);
  if (!view) notFound(); // not-found.tsx beside this page explains, with a 404 status
  const sso = await ssoStepUpFor(user.id);
  const ssoError = sso && typeof ssoProblem === "string" ? ssoMessage(ssoProblem, sso.sso.name) : null;
  const { intent, description, requirement, passkeys, lockout, done, failed } = view;
  const pending = intent.status === "PENDING";
  return (
    <div className="mx-auto max-w-lg space-y-6">
      <div>
        <p className="text-sm font-medium text-accent-700">Confirm with your passkey</p>
        <h1 className="mt-1 text-2xl font-semibold tracking-tight" data-testid="step-up-title">
          {description.title}
        </h1>
        <p className="mt-2 text-slate-600">
          {BRAND.name} asks for your passkey before sensitive actions like this one ({view.reason.toLowerCase()})
          {requirement.bound ? ". Your passkey signs exactly what is shown below, and only once." : "."}
        </p>
      </div>

      {view.why.length > 0 && (
        <div
          className="rounded-xl border border-amber-200 bg-amber-50 p-4 text-sm text-amber-900"
          data-testid="step-up-why"
        >
          <p className="font-medium">Why we&apos;re asking this time</p>
          <ul className="mt-1 list-disc space-y-0.5 pl-5">
            {view.why.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
        </div>
      )}

      <IntentDetails description={description} testId="step-up-details" />

      {ssoError && (
        <p
          role="alert"
          data-testid="step-up-sso-error"
          className="rounded-lg border border-red-300 bg-red-50 px-3 py-2 text-sm font-medium text-red-800"
        >
          {ssoError}
        </p>
      )}
      {done ? (
        <div
          role="status"
          className="rounded-xl border border-emerald-200 bg-emerald-50 p-4 text-sm text-emerald-900"
          data-testid="step-up-status"
        >
          <span className="font-medium">Done. {done.message}</span>
          {done.location ? (
            <Link href={done.location} className="mt-2 block font-medium underline">
              {done.label}
            </Link>
          ) : (
            <Link href={description.backTo} className="mt-2 block font-medium underline">
              Go back
            </Link>
          )}
        </div>
      ) : !pending ? (
        <div
          role="alert"
          className="rounded-xl border border-amber-200 bg-amber-50 p-4 text-sm text-amber-900"
          data-testid="step-up-status"
        >
          {failed
            ? `You confirmed, but it couldn't go ahead: ${failed}${failed.includes("Nothing was sent or changed") ? "" : " Nothing was sent or changed."}`
            : intent.status === "EXPIRED"
              ? "This confirmation expired: for your safety it lasts only a few minutes. Nothing was sent or changed. Please start again."
              : intent.status === "CANCELLED"
                ? intent.cancelReason === "recovery_sign_in"
                  ? cancelledByRecoveryMessage
                  : intent.cancelReason === "account_frozen"
                    ? "This was cancelled when your account was frozen from a security message. Nothing was sent or changed."
                    : "You cancelled this. Nothing was sent or changed."
                : "This was confirmed, and is being completed."}
          <Link href={description.backTo} className="mt-2 block font-medium underline">
            Start again
          </Link>
        </div>
      ) : passkeys.length === 0 && sso ? null : passkeys.length === 0 ? (
        <div className="rounded-xl border border-slate-200 bg-white p-5 text-sm" data-testid="step-up-no-passkey">
          <p className="font-medium">You need a passkey for this.</p>
          <p className="mt-1 text-slate-600">
            A passkey lives on your phone or computer and can&apos;t be phished. Add one (you&apos;ll confirm your
            password), and you&apos;ll come straight back here to finish.
          </p>
          <Link
            href={`/settings/security?next=${encodeURIComponent(`/step-up/${intent.id}`)}`}
            className="mt-3 inline-block rounded-lg bg-accent-600 px-4 py-2 font-medium text-white hover:bg-accent-700"
          >
            Add a passkey
          </Link>
        </div>
      ) : (
        <StepUpCeremony
          intentId={intent.id}
          expiresAtMs={intent.expiresAt.getTime()}
          backTo={description.backTo}
          passkeyNames={passkeys.map((p) => p.nickname)}
          after={description.after}
          spc={view.spc}
          initialLockout={
            lockout.locked
              ? `Too many failed attempts. Passkey confirmation is paused for ${Math.ceil(lockout.retryAfterS / 60)} minute(s).`
              : null
          }
        />
      )}

      {pending && sso && (
        <form action={beginSsoStepUpAction}>
          <input type="hidden" name="intentId" value={intent.id} />
          <button
            type="submit"
            className={buttonClass(passkeys.length === 0 ? "primary" : "secondary", "md", "w-full")}
          >
            Confirm with {sso.sso.name}
          </button>
          <p className="mt-1 text-center text-xs text-slate-500">
            You&apos;ll sign in again there, with your second factor, then come straight back.
          </p>
        </form>
      )}
      {pending && (
        // Edit ends this confirmation (so it can't be confirmed from another tab as well) and goes back
        // to the form with what was typed.
        <form action={editStepUpAction}>
          <input type="hidden" name="intentId" value={intent.id} />
          <button type="submit" className={buttonClass("secondary", "md", "w-full")} data-testid="step-up-edit">
            Edit
          </button>
        </form>
      )}
      {pending && (
        <form action={cancelStepUpAction}>
          <input type="hidden" name="intentId" value={intent.id} />
          <button
            type="submit"
            className="w-full rounded-lg border border-slate-300 bg-white px-4 py-2.5 font-medium hover:bg-slate-100"
          >
            Cancel
          </button>
        </form>
      )}
      {/* For developers and support: the policy in RFC 9470 / OIDC terms, out of the customer's way. */}
      <details className="text-xs text-slate-500">
        <summary className="cursor-pointer">Technical details</summary>
        <p className="mt-1" data-testid="step-up-requirement">
          Requirement: acr_values={requirement.acr_values} max_age={requirement.max_age}
          {requirement.bound ? " (bound to this operation)" : ""} · expires {intent.expiresAt.toISOString()}
        </p>
      </details>
    </div>
  );
}

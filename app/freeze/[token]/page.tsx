import type { Metadata } from "next";
import Link from "next/link";
import { AuthCard } from "@/app/_components/auth-card";
import { FormAlert } from "@/app/_components/form-alert";
import { inspectFreezeLink } from "@/lib/auth/freeze";
import { FREEZE_LINK_MESSAGES, FROZEN_EFFECTS } from "@/lib/auth/freeze-messages";
import { FreezeForm } from "./freeze-form";

export const metadata: Metadata = { title: "Freeze your account", robots: { index: false, follow: false } };

/**
 * Where a security message's "This wasn't me" link lands, signed in or not (the thief may have
 * changed the password). Opening it changes nothing, since mail scanners open links too: the
 * customer confirms once, and the form's action freezes (lib/auth/freeze.ts).
 */
export default async function FreezePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const link = await inspectFreezeLink(token);
  const footer = (
    <Link href="/login" className="font-medium text-accent-700 underline">
      Sign in instead
    </Link>
  );
  if (link.state !== "valid") {
    return (
      <AuthCard
        title={link.state === "used" && link.frozen ? "Your account is frozen" : "This link can't be used"}
        footer={footer}
      >
        <div data-testid="freeze-link-refused">
          <FormAlert message={FREEZE_LINK_MESSAGES[link.state]} />
        </div>
      </AuthCard>
    );
  }
  return (
    <AuthCard title={link.frozen ? "Your account is already frozen" : "Freeze your account?"} footer={footer}>
      <div className="space-y-4">
        <p className="text-sm text-slate-700">
          {link.name}, if you didn&apos;t do what the message told you about, freeze your account now. Freezing does
          this at once:
        </p>
        <ul className="list-disc space-y-1 pl-5 text-sm text-slate-700">
          {FROZEN_EFFECTS.map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
        <p className="text-sm text-slate-700">
          You can still sign in and see your accounts. Unfreezing needs your password and a passkey you have now, then
          24 hours.
        </p>
        <FreezeForm token={token} />
      </div>
    </AuthCard>
  );
}

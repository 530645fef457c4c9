import Link from "next/link";
import { buttonClass } from "@/app/_components/button";

/** Another sign-in's confirmation, or a mistyped id: a page that says so (with a 404 status, so it says nothing more). */
export default function StepUpNotFound() {
  return (
    <div className="mx-auto max-w-lg space-y-4" data-testid="step-up-not-here">
      <h1 className="text-2xl font-semibold tracking-tight">This confirmation isn&apos;t here</h1>
      <p className="text-slate-600">
        It may belong to another of your sign-ins (a confirmation only works in the browser where you started it), or
        the link is incomplete. Nothing was sent or changed.
      </p>
      <Link href="/dashboard" className={buttonClass("primary", "md")}>
        Back to your accounts
      </Link>
    </div>
  );
}

import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/app/_components/page-header";
import { requireUser } from "@/lib/auth/session";
import { safeNextPath } from "@/lib/auth/redirects";
import { listMyPasskeys } from "@/lib/webauthn/passkeys";
import { AddPasskey, PasskeyRow, type EnrolRequirement } from "./passkey-manager";
import { RecoverySection } from "./recovery-codes";
import { getMyRecoveryView } from "@/lib/auth/recovery";
import { listMySessions } from "@/lib/auth/my-sessions";
import { ChangePasswordForm } from "./password-form";
import { SessionList } from "./sessions";
import { FormSuccess } from "@/app/_components/form-alert";
import { AuditLog } from "@/app/(bank)/_components/audit-log";
import { EmptyState } from "@/app/_components/empty-state";
import { RequiresPasskey } from "@/app/_components/badge";
import { buttonClass } from "@/app/_components/button";
import { Card } from "@/app/_components/card";
import { parseAuditFilters } from "@/lib/audit/list";
import { getMyPayoutDestination } from "@/lib/banking/payout";

export const metadata: Metadata = { title: "Security" };

const NOTICES: Record<string, string> = {
  removed: "Passkey removed.",
  confirmed: "Confirmed. You can add a new passkey for the next 5 minutes.",
  password: "Your password was changed.",
  recovered: "You're signed in with a recovery code. Add a new passkey on this device now (within 15 minutes), then remove the one you lost.",
};

export default async function SecurityPage({ searchParams }: { searchParams: Promise<{ next?: string; removed?: string; confirmed?: string; password?: string; recovered?: string; recovery?: string; category?: string; outcome?: string }> }) {
  await requireUser();
  const params = await searchParams;
  const [passkeys, sessions, recovery, payout] = await Promise.all([listMyPasskeys(), listMySessions(), getMyRecoveryView(), getMyPayoutDestination()]);
  const next = params.next ? safeNextPath(params.next) : null;
  const notice = params.removed
    ? NOTICES.removed
    : params.confirmed
      ? NOTICES.confirmed
      : params.password === "changed"
        ? NOTICES.password
        : params.recovered && recovery.recoveredSession
          ? NOTICES.recovered
          : null;
  const requirement: EnrolRequirement = passkeys.length === 0 ? "password" : recovery.recoveredSession ? "recovery" : "passkey";
  return (
    <div className="max-w-2xl space-y-6">
      <PageHeader title="Security" description="Passkeys confirm sensitive actions. They can't be phished, and never leave your device." />
      <FormSuccess message={notice} />
      <section className="space-y-3">
        <h2 className="text-lg font-semibold">Passkeys</h2>
        {passkeys.length === 0 ? (
          <EmptyState testId="no-passkeys">No passkeys yet. Add one to confirm large transfers, new payees and other sensitive actions.</EmptyState>
        ) : (
          <ul className="divide-y divide-slate-200 rounded-2xl border border-slate-200 bg-white" aria-label="Passkeys">
            {passkeys.map((p) => (
              <PasskeyRow
                key={p.id}
                id={p.id}
                nickname={p.nickname}
                detail={`Added ${p.createdAt.toLocaleDateString("en-US", { dateStyle: "medium", timeZone: "UTC" })} · ${
                  p.lastUsedAt ? `last used ${p.lastUsedAt.toLocaleString("en-US", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" })} UTC` : "never used"
                }${p.synced ? " · synced" : ""}`}
              />
            ))}
          </ul>
        )}
        <AddPasskey requirement={requirement} next={next} />
      </section>
      <section className="space-y-3" id="recovery">
        <h2 className="text-lg font-semibold">Recovery codes</h2>
        <RecoverySection unused={recovery.unused} issued={recovery.issuedAt !== null} confirmed={params.recovery === "confirmed"} />
      </section>
      <section className="space-y-3">
        <h2 className="text-lg font-semibold">Where you&apos;re signed in</h2>
        <SessionList sessions={sessions} />
      </section>
      <section className="space-y-3">
        <h2 className="text-lg font-semibold">Password</h2>
        <ChangePasswordForm />
      </section>
      <section className="space-y-3" aria-labelledby="payout-heading">
        <h2 id="payout-heading" className="text-lg font-semibold">
          Payout destination
        </h2>
        <Card className="flex flex-wrap items-center justify-between gap-3" data-testid="security-payout">
          <p className="text-sm">
            {payout ? (
              <>
                <span className="block text-slate-600">Payouts go to</span>
                <span className="font-medium">
                  {payout.holderName} · {payout.masked}
                </span>
              </>
            ) : (
              <span className="text-slate-600">No payout destination yet.</span>
            )}
          </p>
          <span className="flex items-center gap-2">
            <RequiresPasskey />
            <Link href="/settings/payout" className={buttonClass("secondary", "sm")}>
              {payout ? "Change" : "Set it"}
            </Link>
          </span>
        </Card>
      </section>
      <section className="space-y-3" aria-labelledby="log-heading">
        <h2 id="log-heading" className="text-lg font-semibold">
          Security log
        </h2>
        <p className="text-sm text-slate-600">
          Every enrolment, removal, confirmation and refusal, newest first. Everything else is in your{" "}
          <Link href="/activity" className="font-medium text-accent-700 underline">
            activity log
          </Link>
          .
        </p>
        <AuditLog filters={parseAuditFilters(params, "security")} basePath="/settings/security" defaultCategory="security" take={20} />
      </section>
    </div>
  );
}

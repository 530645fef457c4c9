import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/app/_components/page-header";
import { requireUser } from "@/lib/auth/current-user";
import { safeNextPath } from "@/lib/auth/redirects";
import { listMyPasskeys } from "@/lib/webauthn/passkeys";
import { RecoverySection } from "./recovery-codes";
import { getMyRecoveryView } from "@/lib/auth/recovery";
import { listMySessions } from "@/lib/auth/my-sessions";
import { ChangePasswordForm } from "./password-form";
import { SessionList } from "./sessions";
import { DevicesSection } from "./devices-section";
import { listMyDevices } from "@/lib/risk/my-devices";
import { FormSuccess } from "@/app/_components/form-alert";
import { AuditLog } from "@/app/(bank)/_components/audit-log";
import { parseAuditFilters } from "@/lib/audit/list";
import { getMyPayoutDestination } from "@/lib/banking/payout";
import { apiClientDraftFromIntent, listMyApiClients } from "@/lib/api/clients";
import { type EnrolRequirement } from "./passkey-manager";
import { PasskeysSection } from "./passkeys-section";
import { PayoutSection } from "./payout-section";
import { ApiTokensSection } from "./api-tokens-section";
import { ssoStepUpFor } from "@/lib/auth/sso";
import { getMyFreeze, getMyNoticePreferences, listMyNotices } from "@/lib/notify/my-notices";
import { FreezeSection } from "./freeze-section";
import { NoticesSection } from "./notices-section";

export const metadata: Metadata = { title: "Security" };

const NOTICES: Record<string, string> = {
  removed: "Passkey removed.",
  confirmed: "Confirmed. You can add a new passkey for the next 5 minutes.",
  password: "Your password was changed.",
  unfreeze: "Unfreeze confirmed. Your account works again in 24 hours.",
  recovered:
    "You're signed in with a recovery code. Add a new passkey on this device now (within 15 minutes), then remove the one you lost.",
};

export default async function SecurityPage({
  searchParams,
}: {
  searchParams: Promise<{
    next?: string;
    removed?: string;
    confirmed?: string;
    password?: string;
    recovered?: string;
    recovery?: string;
    category?: string;
    outcome?: string;
    api?: string;
    unfreeze?: string;
  }>;
}) {
  const user = await requireUser();
  const params = await searchParams;
  const [passkeys, sessions, devices, recovery, payout, apiClients, apiDraft, notices, preferences, freeze] =
    await Promise.all([
      listMyPasskeys(),
      listMySessions(),
      listMyDevices(),
      getMyRecoveryView(),
      getMyPayoutDestination(),
      listMyApiClients(),
      params.api ? apiClientDraftFromIntent(params.api) : null,
      listMyNotices(),
      getMyNoticePreferences(),
      getMyFreeze(),
    ]);
  const next = params.next ? safeNextPath(params.next) : null;
  const notice = params.removed
    ? NOTICES.removed
    : params.confirmed
      ? NOTICES.confirmed
      : params.password === "changed"
        ? NOTICES.password
        : params.unfreeze === "confirmed"
          ? NOTICES.unfreeze
          : params.recovered && recovery.recoveredSession
            ? NOTICES.recovered
            : null;
  const requirement: EnrolRequirement =
    passkeys.length === 0
      ? (await ssoStepUpFor(user.id))
        ? "sso"
        : "password"
      : recovery.recoveredSession
        ? "recovery"
        : "passkey";
  return (
    <div className="max-w-5xl space-y-6">
      <PageHeader
        title="Security"
        description="Passkeys confirm sensitive actions. They can't be phished, and never leave your device."
      />
      <FormSuccess message={notice} />
      {freeze && <FreezeSection freeze={freeze} />}
      {/* Two columns on wide screens: how you prove it's you, and what is connected to your account. */}
      <div className="grid gap-6 lg:grid-cols-2 lg:items-start">
        <div className="space-y-6">
          <PasskeysSection passkeys={passkeys} requirement={requirement} next={next} />
          <section className="space-y-3" id="recovery">
            <h2 className="text-lg font-semibold">Recovery codes</h2>
            <RecoverySection
              unused={recovery.unused}
              issued={recovery.issuedAt !== null}
              confirmed={params.recovery === "confirmed"}
            />
          </section>
          <section className="space-y-3">
            <h2 className="text-lg font-semibold">Password</h2>
            <ChangePasswordForm />
          </section>
        </div>
        <div className="space-y-6">
          <NoticesSection notices={notices.notices} unread={notices.unread} preferences={preferences} />
          <section className="space-y-3">
            <h2 className="text-lg font-semibold">Where you&apos;re signed in</h2>
            <SessionList sessions={sessions} />
          </section>
          <DevicesSection devices={devices} />
          <PayoutSection payout={payout} />
          <ApiTokensSection apiClients={apiClients} apiDraft={apiDraft} />
        </div>
      </div>
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
        <AuditLog
          filters={parseAuditFilters(params, "security")}
          basePath="/settings/security"
          defaultCategory="security"
          take={20}
        />
      </section>
    </div>
  );
}

import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/app/_components/page-header";
import { requireUser } from "@/lib/auth/current-user";
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
import { Badge, RequiresPasskey } from "@/app/_components/badge";
import { buttonClass } from "@/app/_components/button";
import { Card } from "@/app/_components/card";
import { parseAuditFilters } from "@/lib/audit/list";
import { getMyPayoutDestination } from "@/lib/banking/payout";
import { ConfirmAction } from "@/app/_components/confirm-action";
import { apiClientDraftFromIntent, listMyApiClients, TOKEN_LIFETIMES_DAYS } from "@/lib/api/clients";
import { ALL_SCOPES, SCOPES } from "@/lib/api/scopes";
import { BRAND } from "@/lib/brand";
import { revokeApiClientAction } from "./api-actions";
import { CreateApiClient } from "./api-clients";
import { ssoStepUpFor } from "@/lib/auth/sso";

export const metadata: Metadata = { title: "Security" };

const NOTICES: Record<string, string> = {
  removed: "Passkey removed.",
  confirmed: "Confirmed. You can add a new passkey for the next 5 minutes.",
  password: "Your password was changed.",
  recovered: "You're signed in with a recovery code. Add a new passkey on this device now (within 15 minutes), then remove the one you lost.",
};

const when = (d: Date) => d.toLocaleDateString("en-US", { dateStyle: "medium", timeZone: "UTC" });

export default async function SecurityPage({ searchParams }: { searchParams: Promise<{ next?: string; removed?: string; confirmed?: string; password?: string; recovered?: string; recovery?: string; category?: string; outcome?: string; api?: string }> }) {
  const user = await requireUser();
  const params = await searchParams;
  const [passkeys, sessions, recovery, payout, apiClients, apiDraft] = await Promise.all([
    listMyPasskeys(),
    listMySessions(),
    getMyRecoveryView(),
    getMyPayoutDestination(),
    listMyApiClients(),
    params.api ? apiClientDraftFromIntent(params.api) : null,
  ]);
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
  const requirement: EnrolRequirement =
    passkeys.length === 0 ? ((await ssoStepUpFor(user.id)) ? "sso" : "password") : recovery.recoveredSession ? "recovery" : "passkey";
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
      <section className="space-y-3" id="api" aria-labelledby="api-heading">
        <h2 id="api-heading" className="text-lg font-semibold">
          API tokens
        </h2>
        <p className="text-sm text-slate-600">
          Let your own scripts and apps use {BRAND.name}&apos;s API. A token lets a program read your accounts, or ask to move money; before any
          payment to a payee goes ahead, {BRAND.name} shows you exactly what it asked for, here, and you confirm it with your passkey. You choose
          what each token may do and for how long, and you can revoke it at any time.
        </p>
        {apiClients.length > 0 && (
          <ul className="divide-y divide-slate-200 rounded-2xl border border-slate-200 bg-white" aria-label="API tokens">
            {apiClients.map((c) => (
              <li key={c.id} className="flex flex-wrap items-center justify-between gap-3 px-5 py-3" data-testid="api-client-row">
                <div className="text-sm">
                  <p className="font-medium">
                    {c.name}{" "}
                    {c.status !== "active" && (
                      <Badge tone={c.status === "revoked" ? "danger" : "neutral"} className="ml-1">
                        {c.status === "revoked" ? "Revoked" : "Expired"}
                      </Badge>
                    )}
                  </p>
                  <p className="text-slate-600">
                    <span className="font-mono">{c.scopes.join(" ")}</span> · {c.id}
                  </p>
                  <p className="text-slate-600">
                    {[
                      `created ${when(c.createdAt)}`,
                      c.status === "active" ? `expires ${when(c.expiresAt)}` : null,
                      c.lastUsedAt ? `last used ${when(c.lastUsedAt)}` : "never used",
                    ]
                      .filter(Boolean)
                      .join(" · ")}
                  </p>
                </div>
                {c.status === "active" && (
                  <ConfirmAction
                    label="Revoke"
                    ariaLabel={`Revoke ${c.name}`}
                    title={`Revoke "${c.name}"?`}
                    description="Apps using it stop at once, including any access token it already got. This can't be undone; make a new token if you need one."
                    confirmLabel="Revoke token"
                    keepLabel="Keep token"
                    action={revokeApiClientAction}
                    fields={{ clientId: c.id }}
                  />
                )}
              </li>
            ))}
          </ul>
        )}
        <CreateApiClient scopes={ALL_SCOPES.map((id) => ({ id, label: SCOPES[id] }))} lifetimes={[...TOKEN_LIFETIMES_DAYS]} resume={apiDraft} />
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

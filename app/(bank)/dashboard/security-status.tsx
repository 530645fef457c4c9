import Link from "next/link";
import type { getMySecurityStatus } from "@/lib/auth/security-status";

/** Passkeys and recent sign-ins at a glance, with the way to the security centre. */
export function SecurityStatus({
  security,
  when,
}: {
  security: Awaited<ReturnType<typeof getMySecurityStatus>>;
  when: (d: Date) => string;
}) {
  return (
    <section
      aria-labelledby="security-status"
      className="rounded-2xl border border-slate-200 bg-white p-5"
      data-testid="security-status"
    >
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="security-status" className="text-lg font-semibold">
          Security
        </h2>
        <Link href="/settings/security" className="text-sm font-medium text-accent-700 underline">
          Security centre
        </Link>
      </div>
      {security.passkeys === 0 ? (
        <p
          className="mt-3 rounded-xl border border-amber-200 bg-amber-50 p-4 text-sm text-amber-900"
          data-testid="add-passkey-prompt"
        >
          <strong>Add a passkey.</strong> Large payments, new payees and payout changes are confirmed with a passkey,
          which can&apos;t be phished. Until you add one, they can&apos;t go ahead.{" "}
          <Link href="/settings/security" className="font-medium underline">
            Add a passkey
          </Link>
        </p>
      ) : (
        <p className="mt-3 text-sm text-slate-700" data-testid="passkey-summary">
          {security.passkeys === 1 ? "1 passkey confirms" : `${security.passkeys} passkeys confirm`} your sensitive
          actions
          {security.lastPasskeyUse ? `; last used ${when(security.lastPasskeyUse)}.` : "."}
        </p>
      )}
      {security.recentSignIns.length > 0 && (
        <>
          <h3 className="mt-4 text-sm font-medium text-slate-700">Recent sign-ins</h3>
          <ul className="mt-1 space-y-1 text-sm text-slate-600" data-testid="recent-sign-ins">
            {security.recentSignIns.map((s, i) => (
              <li key={`${s.at.getTime()}-${i}`}>
                <span className={s.succeeded ? "text-slate-900" : "font-medium text-red-700"}>
                  {s.succeeded ? "Signed in" : "Failed attempt"}
                </span>{" "}
                with {s.method} · {s.device}
                {s.ip ? ` · ${s.ip}` : ""} · {when(s.at)}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

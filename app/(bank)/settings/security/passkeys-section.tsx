import { EmptyState } from "@/app/_components/empty-state";
import { getTimeZone } from "@/app/_components/when";
import type { PasskeyView } from "@/lib/webauthn/passkeys";
import { formatWhen } from "@/lib/time-zone";
import { AddPasskey, PasskeyRow, type EnrolRequirement } from "./passkey-manager";

/** The customer's passkeys (added, last used, synced), and the one primary action here: add one. */
export async function PasskeysSection({
  passkeys,
  requirement,
  next,
}: {
  passkeys: PasskeyView[];
  requirement: EnrolRequirement;
  next: string | null;
}) {
  const zone = await getTimeZone();
  return (
    <section className="space-y-3">
      <h2 className="text-lg font-semibold">Passkeys</h2>
      {passkeys.length === 0 ? (
        <EmptyState testId="no-passkeys">
          No passkeys yet. Add one to confirm large transfers, new payees and other sensitive actions.
        </EmptyState>
      ) : (
        <ul className="divide-y divide-slate-200 rounded-2xl border border-slate-200 bg-white" aria-label="Passkeys">
          {passkeys.map((p) => (
            <PasskeyRow
              key={p.id}
              id={p.id}
              nickname={p.nickname}
              payment={p.payment}
              detail={`Added ${formatWhen(p.createdAt, zone, "date")} · ${p.lastUsedAt ? `last used ${formatWhen(p.lastUsedAt, zone)}` : "never used"}${p.synced ? " · synced" : ""}`}
            />
          ))}
        </ul>
      )}
      <AddPasskey requirement={requirement} next={next} />
    </section>
  );
}

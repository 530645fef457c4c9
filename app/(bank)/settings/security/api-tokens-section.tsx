import { Badge } from "@/app/_components/badge";
import { ConfirmAction } from "@/app/_components/confirm-action";
import { getTimeZone } from "@/app/_components/when";
import { TOKEN_LIFETIMES_DAYS, type ApiClientView } from "@/lib/api/clients";
import { ALL_SCOPES, SCOPES } from "@/lib/api/scopes";
import { BRAND } from "@/lib/brand";
import { formatWhen } from "@/lib/time-zone";
import { revokeApiClientAction } from "./api-actions";
import { CreateApiClient } from "./api-clients";

type Draft = { name: string; scopes: string[]; days: number } | null;

/** The customer's API tokens (never their secrets), each revocable, and the form that makes one. */
export async function ApiTokensSection({ apiClients, apiDraft }: { apiClients: ApiClientView[]; apiDraft: Draft }) {
  const zone = await getTimeZone();
  const when = (d: Date) => formatWhen(d, zone, "date");
  return (
    <section className="space-y-3" id="api" aria-labelledby="api-heading">
      <h2 id="api-heading" className="text-lg font-semibold">
        API tokens
      </h2>
      <p className="text-sm text-slate-600">
        Let your own scripts and apps use {BRAND.name}&apos;s API. A token lets a program read your accounts, or ask to
        move money; before any payment to a payee goes ahead, {BRAND.name} shows you exactly what it asked for, here,
        and you confirm it with your passkey. You choose what each token may do and for how long, and you can revoke it
        at any time.
      </p>
      {apiClients.length > 0 && (
        <ul className="divide-y divide-slate-200 rounded-2xl border border-slate-200 bg-white" aria-label="API tokens">
          {apiClients.map((c) => (
            <li
              key={c.id}
              className="flex flex-wrap items-center justify-between gap-3 px-5 py-3"
              data-testid="api-client-row"
            >
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
      <CreateApiClient
        scopes={ALL_SCOPES.map((id) => ({ id, label: SCOPES[id] }))}
        lifetimes={[...TOKEN_LIFETIMES_DAYS]}
        resume={apiDraft}
      />
    </section>
  );
}

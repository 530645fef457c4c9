import "server-only";
import { z } from "zod";
import { defineOperation } from "@/lib/assurance/operation";
import { findIntent } from "@/lib/assurance/intents";
import { recordAudit } from "@/lib/audit/log";
import { notify } from "@/lib/notify/messages";
import { ACR, type Acr } from "@/lib/auth/claims";
import { requireUser } from "@/lib/auth/current-user";
import { db } from "@/lib/db";
import { DomainError, notFound } from "@/lib/errors";
import { formatScopes, parseScopes, type Scope } from "@/lib/api/scopes";
import { hashSecret, newId, newSecret } from "@/lib/api/secrets";

/** How long a token may live: short by default; a year at most (OWASP ASVS 5 V7.2: credentials expire). */
export const TOKEN_LIFETIMES_DAYS = [7, 30, 90, 365] as const;
/** At most this many live tokens per customer, so a stolen session can't mint them without bound. */
export const MAX_LIVE_CLIENTS = 10;

export const apiClientInputSchema = z.object({
  name: z
    .string({ error: "Name the token, so you'll recognise it later." })
    .trim()
    .min(1, "Name the token, so you'll recognise it later.")
    .max(60, "Use at most 60 characters."),
  scopes: z
    .union([z.string(), z.array(z.string())], { error: "Choose at least one permission." })
    .transform((v) => parseScopes(Array.isArray(v) ? v.join(" ") : v))
    .refine((s) => s.length > 0, "Choose at least one permission."),
  days: z.coerce
    .number({ error: "Choose how long the token lasts." })
    .refine((d) => (TOKEN_LIFETIMES_DAYS as readonly number[]).includes(d), "Choose how long the token lasts."),
});
export type ApiClientInput = z.input<typeof apiClientInputSchema>;

export type CreatedApiClient = { clientId: string; secret: string; name: string; scopes: Scope[]; expiresAt: Date };

/**
 * Makes a token under the "api_client.create" policy (a passkey within 5 minutes). The token records
 * the acr and time of that passkey authentication (RFC 9470 §6.1: the level and time of the last
 * active authentication behind it), which every access token it mints inherits. The secret is the
 * result, returned once; only its hash is kept.
 */
export const apiClientCreate = defineOperation({
  policies: ["api_client.create"],
  input: apiClientInputSchema,
  prepare: async (_actor, input) => ({
    action: "api_client.create",
    payload: { name: input.name, scopes: formatScopes(input.scopes), days: input.days },
    carry: input.scopes,
  }),
  inputOf: (p) => ({ name: p.name, scopes: p.scopes, days: p.days }),
  describe: (p) => ({
    title: `Create the API token "${p.name}"`,
    details: [
      ["Name", p.name],
      ["Permissions", p.scopes.split(" ").join(", ")],
      ["Lasts", `${Number(p.days)} days`],
    ],
    after: "You'll go back to your security settings, where the token is shown once. Copy it then.",
    backTo: "/settings/security#api",
  }),
  async run(tx, actor, { payload, carry: scopes }): Promise<CreatedApiClient> {
    // After a passkey the claims say PHR and phr_time; a grace-window pass reads the same claims.
    const acr: Acr = actor.claims.acr;
    const authTime = new Date(
      1000 * (acr === ACR.PHR ? (actor.claims.phr_time ?? actor.claims.auth_time) : actor.claims.auth_time),
    );
    const clientId = `vlt_client_${newId()}`;
    const secret = newSecret("client");
    const expiresAt = new Date(Date.now() + payload.days * 24 * 60 * 60 * 1000);
    // The cap is counted inside the creation's own transaction, after touching the customer's row (a
    // row lock on PostgreSQL; SQLite runs one writer at a time): racing creations can't all see 9.
    await tx.user.update({ where: { id: actor.id }, data: { updatedAt: new Date() } });
    const live = await tx.apiClient.count({
      where: { userId: actor.id, revokedAt: null, expiresAt: { gt: new Date() } },
    });
    if (live >= MAX_LIVE_CLIENTS) {
      throw new DomainError(
        "too_many_tokens",
        `You have ${MAX_LIVE_CLIENTS} live tokens. Revoke one you no longer use first.`,
      );
    }
    await tx.apiClient.create({
      data: {
        id: clientId,
        userId: actor.id,
        name: payload.name,
        scopes: payload.scopes,
        secretHash: hashSecret(secret),
        acr,
        authTime,
        expiresAt,
      },
    });
    await recordAudit(
      {
        userId: actor.id,
        action: "api_client.create",
        outcome: "SUCCESS",
        metadata: { clientId, name: payload.name, scopes: payload.scopes, days: String(payload.days) },
      },
      tx,
    );
    await notify(tx, actor.id, "api_token.created", { name: payload.name, scopes: formatScopes(scopes) });
    return { clientId, secret, name: payload.name, scopes, expiresAt };
  },
  record: (created) => ({ clientId: created.clientId }),
  // The secret is shown once, by the page that finishes the creation (within the grace window).
  resume: { kind: "revisit", to: (_p, intentId) => `/settings/security?api=${intentId}#api` },
  success: "API token created. Copy it now: it won't be shown again.",
  audit: { action: "api_client.create", label: "API token created" },
  example: () => ({ name: "Budget script", scopes: ["accounts:read"], days: "30" }),
});

export type ApiClientView = {
  id: string;
  name: string;
  scopes: Scope[];
  createdAt: Date;
  expiresAt: Date;
  lastUsedAt: Date | null;
  status: "active" | "expired" | "revoked";
};

/** The customer's own tokens, newest first: never the secret, which isn't stored. */
export async function listMyApiClients(): Promise<ApiClientView[]> {
  const user = await requireUser();
  const rows = await db.apiClient.findMany({
    where: { userId: user.id },
    orderBy: { createdAt: "desc" },
    take: 50,
    select: { id: true, name: true, scopes: true, createdAt: true, expiresAt: true, lastUsedAt: true, revokedAt: true },
  });
  const now = new Date();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    scopes: parseScopes(r.scopes),
    createdAt: r.createdAt,
    expiresAt: r.expiresAt,
    lastUsedAt: r.lastUsedAt,
    status: r.revokedAt ? "revoked" : r.expiresAt <= now ? "expired" : "active",
  }));
}

/** Revokes one of the customer's own tokens; its access tokens stop on their next call. Another's is "not found". */
export async function revokeMyApiClient(clientId: unknown): Promise<void> {
  const user = await requireUser();
  const id = typeof clientId === "string" && clientId.length <= 64 ? clientId : "";
  const changed = await db.apiClient.updateMany({
    where: { id, userId: user.id, revokedAt: null },
    data: { revokedAt: new Date() },
  });
  if (changed.count !== 1) throw notFound("That token");
  await recordAudit({ userId: user.id, action: "api_client.revoke", outcome: "SUCCESS", metadata: { clientId: id } });
}

/**
 * The form values of a token creation that just passed step-up (its intent, consumed by the resume),
 * so the page can finish it without retyping. This user's and session's only.
 */
export async function apiClientDraftFromIntent(
  intentId: unknown,
): Promise<{ name: string; scopes: Scope[]; days: number } | null> {
  const user = await requireUser();
  const intent = await findIntent(user, intentId);
  if (!intent || intent.action !== "api_client.create" || intent.status !== "CONSUMED") return null;
  const p = intent.payload as { name?: unknown; scopes?: unknown; days?: unknown };
  return { name: String(p.name ?? ""), scopes: parseScopes(p.scopes), days: Number(p.days) };
}

import "server-only";
import type { Ceremony } from "@/lib/assurance/spc";
import { z } from "zod";
import { recordAudit } from "@/lib/audit/log";
import type { IntentDescription } from "@/lib/assurance/operation";
import { describeForConfirmation, operationOf } from "@/lib/assurance/pipeline";
import { findIntent, type Intent } from "@/lib/assurance/intents";
import { stepUpLockout, type LockoutState } from "@/lib/assurance/lockout";
import {
  beginStepUpFor,
  paymentDetailsOf,
  cancelStepUpFor,
  completeStepUpFor,
  type BeginResult,
  type CompleteResult,
} from "@/lib/assurance/step-up";
import { ACR } from "@/lib/auth/claims";
import { requireUser, type SessionUser } from "@/lib/auth/current-user";
import { db } from "@/lib/db";
import { parseScopes, type Scope } from "@/lib/api/scopes";
import { apiSid, issueAuthorizationCode } from "@/lib/api/tokens";

/**
 * RFC 8252 §7.3 / §8.3: a native or command-line client receives the code on a loopback redirect,
 * any port, IP literal only ("localhost" can be re-pointed). Nothing else is accepted, so a code can
 * never be sent to another site.
 */
const loopback = z
  .string()
  .max(512)
  .refine((v) => {
    try {
      const url = new URL(v);
      return (
        url.protocol === "http:" &&
        (url.hostname === "127.0.0.1" || url.hostname === "[::1]") &&
        !url.username &&
        !url.password &&
        !url.hash
      );
    } catch {
      return false;
    }
  });

/** The authorize request (RFC 6749 §4.1.1, RFC 7636 §4.3, OIDC Core §3.1.2.1 acr_values / max_age). */
export const authorizeRequestSchema = z.object({
  response_type: z.literal("code"),
  client_id: z.string().min(1).max(64),
  intent_id: z.string().regex(/^[A-Za-z0-9_-]{10,64}$/),
  scope: z.string().max(200),
  redirect_uri: loopback,
  state: z.string().min(8).max(200),
  code_challenge: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
  code_challenge_method: z.literal("S256"),
  acr_values: z.string().max(200).optional(),
  max_age: z.coerce.number().int().min(0).max(86_400).optional(),
});
export type AuthorizeRequest = z.infer<typeof authorizeRequestSchema>;

export type AuthorizeView =
  | {
      ok: true;
      request: AuthorizeRequest;
      clientName: string;
      scope: Scope;
      intent: Pick<Intent, "id" | "status" | "expiresAt" | "cancelReason">;
      description: IntentDescription;
      passkeyNames: string[];
      /** The browser's payment dialog can confirm it (lib/assurance/spc.ts). */
      spc: boolean;
      lockout: LockoutState;
    }
  | { ok: false; message: string };

const notValid = (message: string): AuthorizeView => ({ ok: false, message });

/** The query as parsed, keeping only the first of each parameter (a repeated one is an error, RFC 6749 §3.1). */
export function parseAuthorizeQuery(query: Record<string, string | string[] | undefined>) {
  const flat: Record<string, string> = {};
  for (const [k, v] of Object.entries(query)) {
    if (Array.isArray(v)) return null;
    if (v !== undefined) flat[k] = v;
  }
  const parsed = authorizeRequestSchema.safeParse(flat);
  return parsed.success ? parsed.data : null;
}

/**
 * What the customer is asked to confirm: the client (theirs, live), the intent it registered (theirs,
 * made by that client, pending), and the scope the step-up token will carry. Anything wrong is shown
 * on the page, never redirected: until the client is known, its redirect_uri can't be trusted
 * (RFC 6749 §4.1.2.1).
 */
export async function authorizeViewFor(user: SessionUser, request: AuthorizeRequest | null): Promise<AuthorizeView> {
  if (!request)
    return notValid(
      "This link from an app is incomplete or malformed, so there is nothing to confirm. Go back to the app and start again.",
    );
  const client = await db.apiClient.findFirst({ where: { id: request.client_id, userId: user.id } });
  if (!client || client.revokedAt || client.expiresAt <= new Date())
    return notValid("The app's API token was not found, or was revoked or has expired.");
  if (request.acr_values !== undefined && !request.acr_values.split(" ").includes(ACR.PHR)) {
    // RFC 9470 §5 / OIDC: an acr Vault can't give is refused, not silently downgraded.
    return notValid(`This app asked for an authentication level Vault doesn't offer (${request.acr_values}).`);
  }
  const intent = await findIntent({ id: user.id, sid: apiSid(client.id) }, request.intent_id);
  if (!intent) return notValid("The operation this app wants to confirm was not found.");
  // The scope a step-up token for this operation carries: the one the retried call needs (its definition says).
  const scope = operationOf(intent.action).apiScope;
  if (!scope || !parseScopes(request.scope).includes(scope) || !parseScopes(client.scopes).includes(scope)) {
    return notValid("This app didn't ask for the permission this operation needs.");
  }
  const [passkeys, lockout] = await Promise.all([
    db.passkey.findMany({
      where: { userId: user.id },
      select: { nickname: true, payment: true },
      orderBy: { createdAt: "asc" },
    }),
    stepUpLockout.get(user.id),
  ]);
  return {
    ok: true,
    request,
    clientName: client.name,
    scope,
    intent: { id: intent.id, status: intent.status, expiresAt: intent.expiresAt, cancelReason: intent.cancelReason },
    description: await describeForConfirmation(user, intent.action, intent.payload),
    passkeyNames: passkeys.map((p) => p.nickname),
    // A payment the browser's own dialog can show (lib/assurance/spc.ts), as on the web step-up page.
    spc: paymentDetailsOf(intent) !== null && passkeys.some((p) => p.payment),
    lockout,
  };
}

export async function getAuthorizeView(query: Record<string, string | string[] | undefined>): Promise<AuthorizeView> {
  return authorizeViewFor(await requireUser(), parseAuthorizeQuery(query));
}

/** The customer, acting on the intent their API client started (its intents are bound to the client, not to this browser). */
const asClient = (user: SessionUser, clientId: string): SessionUser => ({ ...user, sid: apiSid(clientId) });

/** Starts the passkey ceremony for the client's intent: the same bound challenge as the web step-up. */
export async function beginApiStepUpFor(
  user: SessionUser,
  request: AuthorizeRequest | null,
  ceremony: Ceremony = "webauthn",
): Promise<BeginResult> {
  const view = await authorizeViewFor(user, request);
  if (!view.ok) return { ok: false, code: "not_found", message: view.message };
  return beginStepUpFor(asClient(user, view.request.client_id), view.intent.id, ceremony);
}

/**
 * Verifies the assertion exactly as the web step-up does (bound challenge, lockout, audit), then,
 * instead of running the operation here, issues a one-minute authorization code for the client,
 * bound to this intent, its redirect_uri and PKCE challenge, and sends the browser back to it.
 * The browser session is not upgraded: the customer authorised the app's operation, nothing else.
 */
export async function completeApiStepUpFor(
  user: SessionUser,
  request: AuthorizeRequest | null,
  response: unknown,
): Promise<CompleteResult> {
  const view = await authorizeViewFor(user, request);
  if (!view.ok) return { ok: false, code: "not_found", message: view.message };
  const req = view.request;
  return completeStepUpFor(
    asClient(user, req.client_id),
    view.intent.id,
    response,
    async () => {},
    async (_user, intent) => {
      const code = await issueAuthorizationCode({
        clientId: req.client_id,
        userId: user.id,
        intentId: intent.id,
        scopes: view.scope,
        redirectUri: req.redirect_uri,
        codeChallenge: req.code_challenge,
      });
      await recordAudit({
        userId: user.id,
        action: "api_client.authorize",
        outcome: "SUCCESS",
        metadata: { clientId: req.client_id, intentId: intent.id, policy: intent.action },
      });
      const back = new URL(req.redirect_uri);
      back.searchParams.set("code", code);
      back.searchParams.set("state", req.state);
      return back.toString();
    },
  );
}

/** Cancel: the intent is cancelled and the client hears access_denied (RFC 6749 §4.1.2.1). */
export async function cancelApiStepUpFor(user: SessionUser, request: AuthorizeRequest | null): Promise<string> {
  const view = await authorizeViewFor(user, request);
  if (!view.ok) return "/dashboard";
  await cancelStepUpFor(asClient(user, view.request.client_id), view.intent.id);
  const back = new URL(view.request.redirect_uri);
  back.searchParams.set("error", "access_denied");
  back.searchParams.set("state", view.request.state);
  return back.toString();
}

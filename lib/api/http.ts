import "server-only";
import { StepUpRequired } from "@/lib/assurance/guard";
import { describeIntent } from "@/lib/assurance/pipeline";
import { RateLimited } from "@/lib/assurance/lockout";
import { isPolicyAction } from "@/lib/assurance/policy";
import { db } from "@/lib/db";
import { DomainError, InputError, type DomainErrorCode } from "@/lib/errors";
import { log } from "@/lib/log";
import type { Scope } from "@/lib/api/scopes";
import { authenticateBearer, consumeAccessToken, type ApiActor, type BearerFailure } from "@/lib/api/tokens";

export const REALM = "vault";
/** Where a client sends the customer to confirm an intent (OIDC-style parameters; README "API"). */
export const AUTHORIZATION_PATH = "/oauth/authorize";

/** Every API answer: JSON, never cached (RFC 6749 §5.1 asks this of token responses; the rest carry account data). */
export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return Response.json(body, { status, headers: { "cache-control": "no-store", ...headers } });
}

/** An error object, the same shape everywhere: `error` (a code), `error_description` (for people), and any details. */
export const apiError = (
  status: number,
  error: string,
  error_description: string,
  extra: Record<string, unknown> = {},
  headers: Record<string, string> = {},
) => json(status, { error, error_description, ...extra }, headers);

const quote = (v: string | number) => `"${String(v).replace(/["\\]/g, "\\$&")}"`;

/** RFC 6750 §3: `Bearer realm="vault", error="…", error_description="…"` plus any RFC 9470 / scope parameters. */
export function bearerChallenge(params: Record<string, string | number | undefined> = {}): string {
  const parts = Object.entries({ realm: REALM, ...params })
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${quote(v!)}`);
  return `Bearer ${parts.join(", ")}`;
}

export function bearerFailure(f: BearerFailure): Response {
  if (!f.error) {
    return apiError(
      401,
      "unauthorized",
      "Send an access token: Authorization: Bearer <token>.",
      {},
      { "www-authenticate": bearerChallenge() },
    );
  }
  return apiError(
    f.status,
    f.error,
    f.description ?? "",
    {},
    { "www-authenticate": bearerChallenge({ error: f.error, error_description: f.description }) },
  );
}

/** Why the guard asked for more, in RFC 9470 §3's error_description terms. */
const STEP_UP_REASONS: Record<string, string> = {
  bound_action: "The customer must confirm this operation with a passkey",
  // The same words whatever the risk signals: an API client (perhaps a thief's) doesn't learn which
  // signal fired, so it can't probe the risk model. The customer sees why on the step-up page.
  elevated_risk: "The customer must confirm this operation with a passkey",
  high_risk: "The customer must confirm this operation with a passkey",
  acr_too_low: "A phishing-resistant authentication (a passkey) is required",
  passkey_too_old: "More recent authentication is required",
  recovery_cooling_off:
    "The customer must confirm this operation with a passkey they had before a recent account recovery",
  needs_passkey_enrolment: "The customer has no passkey yet; they must add one in the security centre",
};

/**
 * RFC 9470 §3: 401 with `error="insufficient_user_authentication"`, the acr it needs and the max_age
 * it allows. The body also names the intent the guard stored (the validated operation, waiting), so
 * the client can send the customer to confirm exactly that (README "API" has the whole flow).
 */
async function insufficientAuthentication(err: StepUpRequired): Promise<Response> {
  const description = STEP_UP_REASONS[err.reason] ?? "Stronger or more recent authentication is required";
  const row = await db.stepUpIntent.findUnique({
    where: { id: err.intentId },
    select: { action: true, payload: true, expiresAt: true },
  });
  let summary: string | undefined;
  if (row && isPolicyAction(row.action)) {
    const { action, ...payload } = JSON.parse(row.payload) as Record<string, unknown>;
    void action;
    summary = describeIntent(row.action, payload).title;
  }
  return apiError(
    401,
    "insufficient_user_authentication",
    description,
    {
      acr_values: err.requirement.acr_values,
      max_age: err.requirement.max_age,
      intent: { id: err.intentId, summary, expires_at: row?.expiresAt.toISOString() },
      authorization_endpoint: AUTHORIZATION_PATH,
    },
    {
      "www-authenticate": bearerChallenge({
        error: "insufficient_user_authentication",
        error_description: description,
        acr_values: err.requirement.acr_values,
        max_age: err.requirement.max_age,
      }),
    },
  );
}

const wrongOperation = () =>
  bearerFailure({
    status: 401,
    error: "invalid_token",
    description: "This single-use token was issued for a different operation.",
  });

/** The HTTP status of each rule a route can hit (RFC 9110 §15): exhaustive, so a new code must choose one. */
const DOMAIN_STATUS: Record<DomainErrorCode, number> = {
  not_found: 404,
  invalid_input: 422,
  invalid_amount: 422,
  insufficient_funds: 422,
  same_account: 422,
  currency_mismatch: 422,
  daily_limit: 422,
  limit_changed: 409,
  email_taken: 422,
  wrong_password: 422,
  intent_invalid: 422,
  intent_used: 422,
  step_up_required: 422,
  recovery_hold: 403,
  account_frozen: 403,
  high_risk: 403,
  no_challenge: 422,
  registration_failed: 422,
  too_many_intents: 429,
  too_many_tokens: 409,
};

/**
 * A protected API route: authenticates the bearer token (RFC 6750), checks its scope (403
 * insufficient_scope, §3.1), runs the handler, and turns what lib/ throws into the API's error
 * objects: a step-up into RFC 9470's 401, bad input into 422 with field errors, a rule into 4xx.
 * Each route is a public endpoint: it authenticates and authorises by itself, here.
 */
export async function protectedRoute(
  request: Request,
  scope: Scope,
  handler: (actor: ApiActor) => Promise<Response>,
  options: { runsStepUpIntents?: boolean } = {},
): Promise<Response> {
  let boundToIntent = false;
  try {
    const auth = await authenticateBearer(request.headers.get("authorization"));
    if (!auth.ok) return bearerFailure(auth.failure);
    boundToIntent = auth.actor.intentId !== null;
    // A step-up token was issued for one confirmed operation: only a route that runs guarded
    // operations may take it, and the guard then runs it as that intent and nothing else (RFC 9470 §4).
    if (boundToIntent && !options.runsStepUpIntents) return wrongOperation();
    if (!auth.actor.scopes.includes(scope)) {
      const description = `This call needs the ${scope} scope.`;
      return apiError(
        403,
        "insufficient_scope",
        description,
        { scope },
        { "www-authenticate": bearerChallenge({ error: "insufficient_scope", error_description: description, scope }) },
      );
    }
    // A step-up token is single-use (README "API"): the first call that presents it consumes it.
    if (auth.actor.intentId !== null && !(await consumeAccessToken(auth.actor.tokenId))) {
      return bearerFailure({
        status: 401,
        error: "invalid_token",
        description: "This single-use token was already used.",
      });
    }
    return await handler(auth.actor);
  } catch (err) {
    if (boundToIntent && err instanceof DomainError && err.code === "intent_invalid") return wrongOperation();
    if (err instanceof StepUpRequired) return insufficientAuthentication(err);
    if (err instanceof InputError)
      return apiError(422, "invalid_request", "Some fields are invalid.", { field_errors: err.fieldErrors });
    if (err instanceof RateLimited)
      return apiError(
        429,
        err.code,
        err.userMessage,
        { retry_after: err.retryAfterS },
        { "retry-after": String(err.retryAfterS) },
      );
    if (err instanceof DomainError) return apiError(DOMAIN_STATUS[err.code], err.code, err.userMessage);
    log.error(
      { event: "api.unhandled", err: { name: (err as Error)?.name, message: (err as Error)?.message } },
      "API route failed",
    );
    return apiError(500, "server_error", "Something went wrong on our side. Nothing was changed; try again.");
  }
}

/** The API's JSON bodies are small (a payment is a few hundred bytes). */
export const MAX_JSON_BODY_BYTES = 16_384;

export type BodyRead = { ok: true; text: string } | { ok: false; response: Response };

/** 413 with the API's error object (RFC 9110 §15.5.14). */
export const payloadTooLarge = (limit: number) =>
  apiError(413, "invalid_request", `The request body is too large: at most ${Math.floor(limit / 1024)} kB.`);

/**
 * A request body as text, never more than `limit` bytes of it in memory: a declared Content-Length
 * over the limit is refused before anything is read, and a body without one (chunked) is read with a
 * byte counter and abandoned as soon as it passes the limit. Either way 413 (issue 16, 10e).
 */
export async function readBodyText(request: Request, limit: number): Promise<BodyRead> {
  const declared = request.headers.get("content-length");
  if (declared !== null && (!/^\d{1,15}$/.test(declared) || Number(declared) > limit))
    return { ok: false, response: payloadTooLarge(limit) };
  if (!request.body) return { ok: true, text: "" };
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > limit) {
        await reader.cancel().catch(() => undefined);
        return { ok: false, response: payloadTooLarge(limit) };
      }
      chunks.push(value);
    }
  } catch {
    return { ok: false, response: apiError(400, "invalid_request", "The request body couldn't be read.") };
  }
  return { ok: true, text: Buffer.concat(chunks).toString("utf8") };
}

/** A JSON object body (Content-Type: application/json, at most 16 kB), or the 400 / 413 to answer. */
export async function readJson(
  request: Request,
): Promise<{ ok: true; body: Record<string, unknown> } | { ok: false; response: Response }> {
  const notJson = {
    ok: false as const,
    response: apiError(400, "invalid_request", "Send a JSON object (Content-Type: application/json, at most 16 kB)."),
  };
  if (!/^application\/json\b/i.test(request.headers.get("content-type") ?? "")) return notJson;
  const read = await readBodyText(request, MAX_JSON_BODY_BYTES);
  if (!read.ok) return read;
  try {
    const value: unknown = JSON.parse(read.text);
    return value && typeof value === "object" && !Array.isArray(value)
      ? { ok: true, body: value as Record<string, unknown> }
      : notJson;
  } catch {
    return notJson;
  }
}

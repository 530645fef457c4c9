import "server-only";
import * as oauth from "oauth4webapi";
import { recordAudit } from "@/lib/audit/log";
import { POLICIES } from "@/lib/assurance/policy";
import { requirementOf } from "@/lib/assurance/evaluate";
import { LOCKOUT, stepUpLockout } from "@/lib/assurance/lockout";
import { authoriseAndResume, confirmable, type CompleteResult } from "@/lib/assurance/step-up";
import { epochSeconds } from "@/lib/auth/claims";
import type { SessionUser } from "@/lib/auth/current-user";
import { db } from "@/lib/db";
import type { SsoConfig } from "@/lib/env";
import { idpMetadata, ssoStepUpFor } from "@/lib/auth/sso";

/** How far the IdP's clock may be behind Vault's when comparing auth_time with the request. */
const SKEW_S = 5;
/** How long the customer has at the IdP. */
const REQUEST_TTL_MS = 10 * 60_000;
export const SSO_STEP_UP_CALLBACK = "/api/step-up/sso/callback";

/** Why an IdP step-up was refused, for the step-up page (each with a human message there). */
export type SsoStepUpProblem =
  "not_available" | "state" | "idp_error" | "id_token" | "other_account" | "acr" | "stale" | "intent" | "locked";

const authorizationServer = async (sso: SsoConfig) => (await idpMetadata(sso)).as;

/**
 * Sends the customer to the IdP to confirm one pending intent: an authorization request with
 * `acr_values` (the trusted step-up level), `max_age` (0 for a bound action), `prompt=login`, and a
 * fresh `state`, `nonce` and PKCE verifier stored with the intent (OIDC Core §3.1.2.1; RFC 9470 §4).
 */
export async function beginSsoStepUpFor(
  user: SessionUser,
  intentId: unknown,
  origin: string,
): Promise<{ ok: true; url: string } | { ok: false; problem: SsoStepUpProblem }> {
  const available = await ssoStepUpFor(user.id);
  if (!available) return { ok: false, problem: "not_available" };
  const ready = await confirmable(user, intentId);
  if (!ready.ok) return { ok: false, problem: "intent" };
  const policy = POLICIES[ready.intent.action];
  if (!policy.acr) return { ok: false, problem: "intent" };
  const maxAge = requirementOf({ ...policy, acr: policy.acr }).max_age;
  const as = await authorizationServer(available.sso);
  const state = oauth.generateRandomState();
  const nonce = oauth.generateRandomNonce();
  const codeVerifier = oauth.generateRandomCodeVerifier();
  await db.ssoStepUp.create({
    data: {
      state,
      userId: user.id,
      sessionId: user.sid,
      intentId: ready.intent.id,
      nonce,
      codeVerifier,
      maxAge,
      requestedAt: new Date(),
      expiresAt: new Date(Date.now() + REQUEST_TTL_MS),
    },
  });
  const url = new URL(as.authorization_endpoint!);
  url.search = new URLSearchParams({
    client_id: available.sso.clientId,
    response_type: "code",
    redirect_uri: `${origin}${SSO_STEP_UP_CALLBACK}`,
    scope: "openid",
    state,
    nonce,
    code_challenge: await oauth.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: "S256",
    acr_values: available.sso.stepUpAcr,
    max_age: String(maxAge),
    prompt: "login",
  }).toString();
  await recordAudit({
    userId: user.id,
    action: "step_up.sso_request",
    outcome: "SUCCESS",
    metadata: {
      intentId: ready.intent.id,
      policy: ready.intent.action,
      acr_values: available.sso.stepUpAcr,
      max_age: String(maxAge),
    },
  });
  return { ok: true, url: url.toString() };
}

/**
 * The IdP's answer. Only a request this session made, still unused, is accepted (`state`); the ID
 * token must verify (signature, iss, aud, exp, and the `nonce` sent), name the same IdP account,
 * carry the `acr` asked for, and an `auth_time` newer than the request (which also meets any max_age
 * sent, 0 included): many IdPs ignore
 * `acr_values` or skip the re-prompt, so the answer is checked, not trusted (RFC 9470 §5; OIDC Core
 * §3.1.3.7). Then the intent resumes, exactly as after a passkey.
 */
export async function completeSsoStepUpFor(
  user: SessionUser,
  callback: URL,
  origin: string,
): Promise<
  | { ok: true; result: CompleteResult; intentId: string }
  | { ok: false; problem: SsoStepUpProblem; intentId: string | null; detail?: string }
> {
  const state = callback.searchParams.get("state") ?? "";
  const [request] = await db.ssoStepUp.updateManyAndReturn({
    where: { state, userId: user.id, sessionId: user.sid, consumedAt: null, expiresAt: { gt: new Date() } },
    data: { consumedAt: new Date() },
  });
  const refuse = async (problem: SsoStepUpProblem, detail?: string) => {
    await recordAudit({
      userId: user.id,
      action: "step_up.verify",
      outcome: "FAILURE",
      reason: `sso_${problem}`,
      metadata: { intentId: request?.intentId ?? "", method: "sso", ...(detail ? { detail } : {}) },
    });
    return { ok: false as const, problem, intentId: request?.intentId ?? null, detail };
  };
  if (!request) return refuse("state");
  const available = await ssoStepUpFor(user.id);
  if (!available) return refuse("not_available");
  // An answer from the IdP is a step-up attempt like a passkey assertion, on the same lockout
  // (PSD2 RTS Art. 4(3)(b)): its point is taken before the answer is checked, and a wrong one keeps it.
  const taken = await stepUpLockout.take(user.id);
  if (!taken.ok) return refuse("locked");
  const ticket = taken.ticket;
  const failed = async (problem: SsoStepUpProblem, detail?: string) => {
    const state = ticket.failed();
    const refused = await refuse(problem, detail);
    if (state.locked) {
      await recordAudit({
        userId: user.id,
        action: "step_up.locked",
        outcome: "DENIED",
        reason: "too_many_failures",
        metadata: { minutes: LOCKOUT.blockS / 60, method: "sso" },
      });
    }
    return refused;
  };
  const as = await authorizationServer(available.sso);
  const client: oauth.Client = { client_id: available.sso.clientId };
  let claims: oauth.IDToken;
  try {
    const params = oauth.validateAuthResponse(as, client, callback, request.state);
    const response = await oauth.authorizationCodeGrantRequest(
      as,
      client,
      oauth.ClientSecretBasic(available.sso.clientSecret),
      params,
      `${origin}${SSO_STEP_UP_CALLBACK}`,
      request.codeVerifier,
      { [oauth.allowInsecureRequests]: new URL(available.sso.issuer).protocol === "http:" },
    );
    const result = await oauth.processAuthorizationCodeResponse(as, client, response, {
      expectedNonce: request.nonce,
      requireIdToken: true,
    });
    // The signature too, against the IdP's published keys (not only TLS, which OIDC Core §3.1.3.7 allows).
    await oauth.validateApplicationLevelSignature(as, response, {
      [oauth.allowInsecureRequests]: new URL(available.sso.issuer).protocol === "http:",
    });
    claims = oauth.getValidatedIdTokenClaims(result)!;
  } catch (err) {
    const detail = err instanceof Error ? err.message.slice(0, 200) : undefined;
    if (err instanceof oauth.AuthorizationResponseError) {
      // The IdP answered with an error (RFC 6749 §4.1.2.1), e.g. the customer cancelled there: nothing
      // was presented to Vault, and the IdP counts its own failed sign-ins.
      await ticket.refund();
      return refuse("idp_error", detail);
    }
    return failed("id_token", detail);
  }
  if (claims.sub !== available.subject) return failed("other_account");
  const amr = Array.isArray(claims.amr)
    ? claims.amr.filter((m): m is string => typeof m === "string").slice(0, 10)
    : [];
  // The acr asked for, or (where configured, for IdPs that report it so) the second factor in amr.
  const met =
    claims.acr === available.sso.stepUpAcr ||
    (available.sso.stepUpAmr !== null && amr.includes(available.sso.stepUpAmr));
  if (!met)
    return failed(
      "acr",
      `asked ${available.sso.stepUpAcr}, got acr ${String(claims.acr ?? "none")}, amr ${amr.join(" ") || "none"}`,
    );
  if (typeof claims.auth_time !== "number" || claims.auth_time < epochSeconds(request.requestedAt) - SKEW_S) {
    return failed(
      "stale",
      `auth_time ${String(claims.auth_time)} before the request at ${epochSeconds(request.requestedAt)}`,
    );
  }
  await ticket.succeeded(); // the IdP confirmed this customer: the run of failures ends
  const ready = await confirmable(user, request.intentId);
  if (!ready.ok) return refuse("intent");
  const result = await authoriseAndResume(user, ready.intent, {
    amr,
    confirmer: { kind: "sso" },
    audit: { method: "sso", idp_acr: String(claims.acr) },
  });
  return { ok: true, result, intentId: request.intentId };
}

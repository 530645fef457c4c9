import "server-only";
import { recordAudit } from "@/lib/audit/log";
import { ACR, epochSeconds, isAcr, type AssuranceClaims } from "@/lib/auth/claims";
import type { Actor } from "@/lib/assurance/operation";
import { API_SID_PREFIX } from "@/lib/assurance/intents";
import { tokenMintLimit } from "@/lib/assurance/lockout";
import { db } from "@/lib/db";
import { formatScopes, parseScopes, type Scope } from "@/lib/api/scopes";
import { hashSecret, looksLike, newId, newSecret, pkceMatches } from "@/lib/api/secrets";

import { ACCESS_TOKEN_TTL_S, CODE_TTL_S, STEP_UP_TOKEN_TTL_S } from "@/lib/api/token-lifetimes";

/** The intents an API client starts are bound to the client, as a browser's are to its session. */
export const apiSid = (clientId: string) => `${API_SID_PREFIX}${clientId}`;

export type TokenGrant = {
  access_token: string;
  token_type: "Bearer";
  expires_in: number;
  scope: string;
  intent_id?: string;
};
export type OAuthError = { error: string; error_description: string; status: number; retryAfterS?: number };

const oauthError = (status: number, error: string, error_description: string): { ok: false; err: OAuthError } => ({
  ok: false,
  err: { status, error, error_description },
});

/** RFC 6749 §2.3.1: the client authenticates with its id and secret (here, the personal access token). */
async function authenticateClient(clientId: unknown, secret: unknown) {
  if (typeof clientId !== "string" || clientId.length > 64 || !looksLike("client", secret)) return null;
  const client = await db.apiClient.findUnique({ where: { secretHash: hashSecret(secret) } });
  if (!client || client.id !== clientId || client.revokedAt || client.expiresAt <= new Date()) return null;
  return client;
}

async function mintAccessToken(
  data: { clientId: string; userId: string; scopes: string; acr: string; authTime: Date; intentId?: string },
  ttlS: number,
): Promise<TokenGrant> {
  const token = newSecret("access");
  await db.apiAccessToken.create({
    data: { id: newId(), tokenHash: hashSecret(token), ...data, expiresAt: new Date(Date.now() + ttlS * 1000) },
  });
  return {
    access_token: token,
    token_type: "Bearer",
    expires_in: ttlS,
    scope: data.scopes,
    ...(data.intentId ? { intent_id: data.intentId } : {}),
  };
}

/**
 * The token endpoint (RFC 6749 §3.2), for two grants:
 * - client_credentials (§4.4): the personal access token buys a short-lived access token with the
 *   client's scopes (or fewer, if `scope` asks for fewer), and its acr/auth_time;
 * - authorization_code (§4.1.3 with PKCE, RFC 7636 §4.6): the code from a confirmed step-up buys a
 *   single-use token for the one intent the customer confirmed, with acr PHR and that auth_time.
 */
export async function exchangeToken(
  form: Record<string, string | undefined>,
  basic: { id: string; secret: string } | null,
): Promise<{ ok: true; grant: TokenGrant } | { ok: false; err: OAuthError }> {
  const clientId = basic?.id ?? form.client_id;
  const secret = basic?.secret ?? form.client_secret;
  const client = await authenticateClient(clientId, secret);
  if (!client) return oauthError(401, "invalid_client", "Unknown, revoked or expired client credentials.");
  // Counted per authenticated client (so nobody else can spend its budget) and before any token or
  // code is touched: a refused request changes nothing and can be sent again after Retry-After.
  const allowed = await tokenMintLimit.take(client.id);
  if (!allowed.ok) {
    return {
      ok: false,
      err: {
        status: 429,
        error: "too_many_requests",
        error_description: `This client asked for too many access tokens. Reuse the one you have (they last ${ACCESS_TOKEN_TTL_S / 60} minutes), or try again in ${allowed.retryAfterS} seconds.`,
        retryAfterS: allowed.retryAfterS,
      },
    };
  }
  await db.apiClient.update({ where: { id: client.id }, data: { lastUsedAt: new Date() } });

  if (form.grant_type === "client_credentials") {
    const allowed = parseScopes(client.scopes);
    let scopes: Scope[] = allowed;
    if (form.scope !== undefined) {
      const asked = form.scope.split(/\s+/).filter(Boolean);
      if (asked.length === 0 || asked.some((s) => !allowed.includes(s as Scope)))
        return oauthError(400, "invalid_scope", `This token may ask only for: ${client.scopes}.`);
      scopes = parseScopes(form.scope);
    }
    const grant = await mintAccessToken(
      {
        clientId: client.id,
        userId: client.userId,
        scopes: formatScopes(scopes),
        acr: client.acr,
        authTime: client.authTime,
      },
      ACCESS_TOKEN_TTL_S,
    );
    return { ok: true, grant };
  }

  if (form.grant_type === "authorization_code") {
    if (!looksLike("code", form.code))
      return oauthError(400, "invalid_grant", "The code is invalid, expired or already used.");
    // Single use: the one conditional UPDATE that marks it consumed decides; a replay changes nothing.
    const taken = await db.apiAuthorizationCode.updateManyAndReturn({
      where: { codeHash: hashSecret(form.code), clientId: client.id, consumedAt: null, expiresAt: { gt: new Date() } },
      data: { consumedAt: new Date() },
    });
    const code = taken[0];
    if (!code) return oauthError(400, "invalid_grant", "The code is invalid, expired or already used.");
    if (code.redirectUri !== form.redirect_uri)
      return oauthError(400, "invalid_grant", "redirect_uri doesn't match the one the code was issued to.");
    if (!pkceMatches(form.code_verifier, code.codeChallenge))
      return oauthError(400, "invalid_grant", "code_verifier doesn't match the code_challenge.");
    const grant = await mintAccessToken(
      {
        clientId: client.id,
        userId: code.userId,
        scopes: code.scopes,
        acr: code.acr,
        authTime: code.authTime,
        intentId: code.intentId,
      },
      STEP_UP_TOKEN_TTL_S,
    );
    await recordAudit({
      userId: code.userId,
      action: "api_client.step_up_token",
      outcome: "SUCCESS",
      metadata: { clientId: client.id, intentId: code.intentId },
    });
    return { ok: true, grant };
  }
  return oauthError(400, "unsupported_grant_type", "Use grant_type=client_credentials or authorization_code.");
}

/**
 * RFC 7662 token introspection, for the client that owns the token: whether it is active, and what it
 * carries, including RFC 9470 §6.2's acr and auth_time. Another client's token, or an unknown, expired,
 * revoked or used one, is just `{ active: false }` (§2.2: say nothing more).
 */
export async function introspect(
  form: Record<string, string | undefined>,
  basic: { id: string; secret: string } | null,
): Promise<{ ok: true; body: Record<string, unknown> } | { ok: false; err: OAuthError }> {
  const client = await authenticateClient(basic?.id ?? form.client_id, basic?.secret ?? form.client_secret);
  if (!client) return oauthError(401, "invalid_client", "Unknown, revoked or expired client credentials.");
  if (!looksLike("access", form.token)) return { ok: true, body: { active: false } };
  const row = await db.apiAccessToken.findUnique({ where: { tokenHash: hashSecret(form.token) } });
  if (!row || row.clientId !== client.id || row.expiresAt <= new Date() || row.consumedAt)
    return { ok: true, body: { active: false } };
  return {
    ok: true,
    body: {
      active: true,
      scope: row.scopes,
      client_id: row.clientId,
      token_type: "Bearer",
      exp: epochSeconds(row.expiresAt),
      iat: epochSeconds(row.createdAt),
      acr: row.acr,
      auth_time: epochSeconds(row.authTime),
      ...(row.intentId ? { intent_id: row.intentId } : {}),
    },
  };
}

/** Stores the code the authorize page hands back after the customer confirmed the client's intent. */
export async function issueAuthorizationCode(data: {
  clientId: string;
  userId: string;
  intentId: string;
  scopes: string;
  redirectUri: string;
  codeChallenge: string;
}): Promise<string> {
  const code = newSecret("code");
  await db.apiAuthorizationCode.create({
    data: {
      codeHash: hashSecret(code),
      ...data,
      acr: ACR.PHR,
      authTime: new Date(),
      expiresAt: new Date(Date.now() + CODE_TTL_S * 1000),
    },
  });
  return code;
}

/** Who calls the API: the token's customer and assurance, in the guard's terms, plus the token itself. */
export type ApiActor = Actor & { clientId: string; tokenId: string; scopes: Scope[]; intentId: string | null };

export type BearerFailure = { status: 400 | 401; error?: "invalid_request" | "invalid_token"; description?: string };

/**
 * RFC 6750 §2.1: the access token from `Authorization: Bearer …`, checked against its row (which is
 * the introspection, RFC 7662 §2.2: active, scope, exp, and RFC 9470 §6.2's acr and auth_time).
 */
export async function authenticateBearer(
  authorization: string | null,
): Promise<{ ok: true; actor: ApiActor } | { ok: false; failure: BearerFailure }> {
  if (!authorization) return { ok: false, failure: { status: 401 } }; // §3.1: no error code when no credentials were sent
  const match = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/.exec(authorization);
  if (!match)
    return {
      ok: false,
      failure: {
        status: 400,
        error: "invalid_request",
        description: "Send the token as: Authorization: Bearer <token>.",
      },
    };
  const invalid = (description: string) => ({
    ok: false as const,
    failure: { status: 401 as const, error: "invalid_token" as const, description },
  });
  if (!looksLike("access", match[1])) return invalid("The access token is malformed.");
  const tokenHash = hashSecret(match[1]);
  const now = new Date();
  // One SELECT decides: the token, live and unused, of a client that is neither revoked nor expired
  // (a revocation takes effect in the very statement that would have let the token through). Only a
  // refusal reads again, to say why.
  const row = await db.apiAccessToken.findFirst({
    where: {
      tokenHash,
      expiresAt: { gt: now },
      consumedAt: null,
      client: { revokedAt: null, expiresAt: { gt: now } },
    },
  });
  if (!row) {
    const refused = await db.apiAccessToken.findUnique({
      where: { tokenHash },
      select: { expiresAt: true, consumedAt: true, client: { select: { revokedAt: true, expiresAt: true } } },
    });
    if (!refused) return invalid("The access token is not recognised.");
    if (refused.expiresAt <= now) return invalid("The access token expired.");
    if (refused.client.revokedAt) return invalid("The token it came from was revoked.");
    if (refused.client.expiresAt <= now) return invalid("The token it came from expired.");
    if (refused.consumedAt) return invalid("This single-use token was already used.");
    return invalid("The access token is not recognised.");
  }
  const acr = isAcr(row.acr) ? row.acr : ACR.AAL1;
  const authTime = epochSeconds(row.authTime);
  const claims: AssuranceClaims = {
    amr: acr === ACR.PHR ? ["pop", "user", "mfa"] : ["pwd"],
    acr,
    auth_time: authTime,
    ...(acr === ACR.PHR ? { phr_time: authTime } : {}),
  };
  return {
    ok: true,
    actor: {
      id: row.userId,
      sid: apiSid(row.clientId),
      claims,
      clientId: row.clientId,
      tokenId: row.id,
      scopes: parseScopes(row.scopes),
      intentId: row.intentId,
    },
  };
}

/** Marks a single-use token used; false when another request already did (a replay or a race). */
export async function consumeAccessToken(tokenId: string): Promise<boolean> {
  const { count } = await db.apiAccessToken.updateMany({
    where: { id: tokenId, consumedAt: null },
    data: { consumedAt: new Date() },
  });
  return count === 1;
}

/**
 * Ends every access token the customer's API clients hold (step-up tokens included), inside the
 * caller's transaction: after a password change or "sign out everywhere else", whoever had the
 * password or a session may have minted one. The clients themselves (the personal access tokens in
 * the security centre) stay: each was made under a passkey step-up, is listed with its own "Revoke",
 * and can mint new access tokens; ending sessions is about sign-ins, not about the apps the customer
 * set up on purpose. Returns how many were ended.
 */
export async function revokeAccessTokensOf(client: Pick<typeof db, "apiAccessToken">, userId: string): Promise<number> {
  const { count } = await client.apiAccessToken.deleteMany({ where: { userId } });
  return count;
}

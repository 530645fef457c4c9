import "server-only";
import { randomBytes } from "node:crypto";
import { createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey } from "jose";
import type { User } from "next-auth";
import * as oauth from "oauth4webapi";
import { recordAudit } from "@/lib/audit/log";
import { ACR, epochSeconds, type AssuranceClaims } from "@/lib/auth/claims";
import { openDefaultAccounts } from "@/lib/banking/opening";
import { db } from "@/lib/db";
import { env, type SsoConfig } from "@/lib/env";
import { log } from "@/lib/log";

/** RFC 8176 §2's registered method values: anything else an IdP puts in `amr` is dropped. */
const RFC_8176_AMR = new Set([
  "face",
  "fpt",
  "geo",
  "hwk",
  "iris",
  "kba",
  "mca",
  "mfa",
  "otp",
  "pin",
  "pop",
  "pwd",
  "rba",
  "retina",
  "sc",
  "sms",
  "swk",
  "tel",
  "user",
  "vbm",
  "wia",
]);
/** How far an IdP's clock may be ahead of Vault's (OIDC Core §3.1.3.7 leaves the skew to the client). */
const SKEW_S = 60;

let discovered: { issuer: string; as: oauth.AuthorizationServer; jwks: JWTVerifyGetKey } | null = null;

/** The IdP's metadata (OIDC Discovery), once per process, and its signing keys (jose caches and refreshes them). */
export async function idpMetadata(sso: SsoConfig) {
  if (discovered?.issuer !== sso.issuer) {
    const issuer = new URL(sso.issuer);
    const as = await oauth.processDiscoveryResponse(
      issuer,
      await oauth.discoveryRequest(issuer, {
        algorithm: "oidc",
        [oauth.allowInsecureRequests]: issuer.protocol === "http:",
      }),
    );
    if (!as.jwks_uri) throw new SsoRefused("the IdP publishes no jwks_uri");
    discovered = { issuer: sso.issuer, as, jwks: createRemoteJWKSet(new URL(as.jwks_uri)) };
  }
  return discovered;
}

/**
 * The ID token's claims, after checking its signature against the IdP's published keys, and its
 * iss, aud and exp. Auth.js (oauth4webapi) relies on TLS to the token endpoint instead, as OIDC
 * Core §3.1.3.7 allows; Vault checks the signature as well, so no claim it acts on is unsigned.
 */
export async function verifiedIdToken(raw: unknown): Promise<Record<string, unknown>> {
  const sso = env.SSO;
  if (!sso || typeof raw !== "string") throw new SsoRefused("no ID token");
  const { jwks } = await idpMetadata(sso);
  try {
    const { payload } = await jwtVerify(raw, jwks, { issuer: sso.issuer, audience: sso.clientId });
    return payload as Record<string, unknown>;
  } catch (err) {
    throw new SsoRefused(`ID token not verified: ${err instanceof Error ? err.message.slice(0, 120) : "invalid"}`);
  }
}

/** Why a sign-in through the IdP was refused, in the customer's terms (the login page says which). */
export type SsoRefusal = "email_taken" | "not_verified" | "auth_time" | "no_email";
export const SSO_REFUSALS: readonly SsoRefusal[] = ["email_taken", "not_verified", "auth_time", "no_email"];

export class SsoRefused extends Error {
  constructor(
    readonly reason: string,
    readonly code: SsoRefusal = "not_verified",
  ) {
    super(`single sign-on refused: ${reason}`);
    this.name = "SsoRefused";
  }
}

/** What the login page tells the customer for a refused single sign-on (`/login?error=SsoRefused&reason=…`). */
export function ssoRefusalMessage(code: unknown, idpName: string, bank: string): string {
  switch (code) {
    case "email_taken":
      return `A ${bank} customer already has the email address ${idpName} gave us. For your safety, ${idpName} is never joined to an existing ${bank} login by email: sign in with your password or passkey instead.`;
    case "auth_time":
      return `${idpName} didn't confirm a recent sign-in, so you're not signed in. Sign in at ${idpName} again, or sign in another way.`;
    case "no_email":
      return `${idpName} didn't share a verified email address, which ${bank} needs to open an account for you. Verify your email at ${idpName}, or sign in another way.`;
    default:
      return `${idpName}'s answer couldn't be verified, so you're not signed in. Try again, or sign in another way.`;
  }
}

/**
 * Auth.js' OIDC profile step for Vault: the customer for the ID token, or, when Vault refuses the
 * sign-in, a user that only carries the refusal. Throwing there would make Auth.js log a stack trace
 * and answer a generic error=Configuration; instead the signIn callback (ssoSignInRedirect) sends
 * the customer to the login page with the reason. userForIdToken has already logged and audited it.
 */
export async function ssoProfile(rawIdToken: unknown): Promise<User> {
  try {
    return await userForIdToken(rawIdToken);
  } catch (err) {
    if (err instanceof SsoRefused) return { ssoRefused: err.code };
    throw err;
  }
}

/** The signIn callback's answer: true to go on, or the login page naming why single sign-on was refused. */
export function ssoSignInRedirect(user: Pick<User, "ssoRefused">): true | string {
  return user.ssoRefused ? `/login?${new URLSearchParams({ error: "SsoRefused", reason: user.ssoRefused })}` : true;
}

/**
 * Vault's claims for a sign-in through the IdP, from the ID token's claims only (Auth.js has
 * verified its signature, iss, aud, nonce and expiry with oauth4webapi). `auth_time` is required
 * (Vault asks with max_age, which makes it REQUIRED, OIDC Core §3.1.2.1) and must be plausible.
 * The acr is Vault's base level whatever the IdP says: an IdP sign-in never counts as Vault's
 * passkey level by itself (README "Single sign-on").
 */
export function ssoSignInClaims(idToken: Record<string, unknown>, now = new Date()): AssuranceClaims {
  const nowS = epochSeconds(now);
  const authTime = idToken.auth_time;
  if (typeof authTime !== "number" || !Number.isInteger(authTime))
    throw new SsoRefused("auth_time missing from the ID token", "auth_time");
  if (authTime > nowS + SKEW_S) throw new SsoRefused("auth_time in the future", "auth_time");
  if (nowS - authTime > env.SESSION_MAX_AGE_S)
    throw new SsoRefused("auth_time older than the requested max_age", "auth_time");
  const amr = Array.isArray(idToken.amr)
    ? [...new Set(idToken.amr.filter((m): m is string => typeof m === "string" && RFC_8176_AMR.has(m)))]
    : [];
  return { amr, acr: ACR.AAL1, auth_time: authTime };
}

/**
 * The Vault customer for a verified ID token: the one linked to this (iss, sub), or a new customer
 * with the default accounts. An IdP account is never joined to an existing customer by email: an
 * IdP that lets people set any address would hand over that customer's account (OIDC Core §5.7).
 * New SSO customers have no password (an unusable hash): they sign in through the IdP or a passkey.
 */
export async function userForIdToken(rawIdToken: unknown): Promise<User> {
  const sso = env.SSO;
  try {
    const idToken = await verifiedIdToken(rawIdToken);
    if (!sso || idToken.iss !== sso.issuer) throw new SsoRefused("unexpected issuer");
    const subject = idToken.sub;
    if (typeof subject !== "string" || subject.length === 0 || subject.length > 255)
      throw new SsoRefused("sub missing");
    const claims = ssoSignInClaims(idToken);
    const linked = await db.federatedIdentity.findUnique({
      where: { issuer_subject: { issuer: sso.issuer, subject } },
      include: { user: true },
    });
    if (linked) {
      await recordAudit({
        userId: linked.userId,
        action: "auth.sign_in",
        outcome: "SUCCESS",
        metadata: { method: "sso" },
      });
      return { vaultUserId: linked.userId, email: linked.user.email, name: linked.user.name, claims, method: "sso" };
    }
    const email = typeof idToken.email === "string" ? idToken.email.trim().toLowerCase() : "";
    if (!/^[^\s@]+@[^\s@]+$/.test(email) || email.length > 254 || idToken.email_verified === false)
      throw new SsoRefused("no verified email in the ID token", "no_email");
    const name =
      typeof idToken.name === "string" && idToken.name.trim() ? idToken.name.trim().slice(0, 100) : email.split("@")[0];
    if (await db.user.findUnique({ where: { email }, select: { id: true } }))
      throw new SsoRefused("a customer with that email already exists", "email_taken");
    const user = await db.$transaction(async (tx) => {
      const created = await tx.user.create({
        data: { email, name, passwordHash: `sso-only:${randomBytes(16).toString("hex")}` },
      });
      await tx.federatedIdentity.create({ data: { issuer: sso.issuer, subject, userId: created.id } });
      await openDefaultAccounts(tx, created.id);
      await recordAudit(
        { userId: created.id, action: "auth.sign_up", outcome: "SUCCESS", metadata: { method: "sso" } },
        tx,
      );
      return created;
    });
    await recordAudit({ userId: user.id, action: "auth.sign_in", outcome: "SUCCESS", metadata: { method: "sso" } });
    return { vaultUserId: user.id, email: user.email, name: user.name, claims, method: "sso" };
  } catch (err) {
    if (err instanceof SsoRefused) {
      log.warn({ event: "auth.sso_refused", reason: err.reason }, "single sign-on refused");
      await recordAudit({
        userId: null,
        action: "auth.sign_in",
        outcome: "DENIED",
        reason: err.reason,
        metadata: { method: "sso" },
      });
    }
    throw err;
  }
}

/** Whether this customer can step up through the IdP: SSO with a trusted step-up acr, and an account linked at that IdP. */
export async function ssoStepUpFor(
  userId: string,
): Promise<{ sso: SsoConfig & { stepUpAcr: string }; subject: string } | null> {
  const sso = env.SSO;
  if (!sso?.stepUpAcr) return null;
  const identity = await db.federatedIdentity.findFirst({
    where: { userId, issuer: sso.issuer },
    select: { subject: true },
  });
  return identity ? { sso: { ...sso, stepUpAcr: sso.stepUpAcr }, subject: identity.subject } : null;
}

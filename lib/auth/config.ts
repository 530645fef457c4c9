import "server-only";
import NextAuth from "next-auth";
import { CredentialsSignin } from "@auth/core/errors";
import Credentials from "next-auth/providers/credentials";
import "@/lib/auth/types";
import { jwtCallback, sessionCallback } from "@/lib/auth/callbacks";
import { openSessionGrant } from "@/lib/auth/grants";
import { endReplacedSession, endSignedOutSession, rotateSession, startSession } from "@/lib/auth/session-records";
import { authRedirect } from "@/lib/auth/redirects";
import { clientIpFrom } from "@/lib/audit/log";
import { authenticateWithRecoveryCode } from "@/lib/auth/recovery-sign-in";
import { authenticateWithPassword } from "@/lib/auth/users";
import { env } from "@/lib/env";
import { log } from "@/lib/log";
import { verifyPasskeySignIn } from "@/lib/webauthn/sign-in";
import { ssoProfile, ssoSignInRedirect } from "@/lib/auth/sso";

export const { handlers, auth, signIn, signOut, unstable_update } = NextAuth({
  secret: env.AUTH_SECRET,
  trustHost: env.AUTH_TRUST_HOST,
  // JWT sessions in an encrypted, HttpOnly, SameSite=Lax cookie; Auth.js adds Secure and the
  // __Secure- prefix by itself when served over https.
  // The cookie's life matches the session record's absolute timeout (lib/auth/session-records.ts decides).
  session: { strategy: "jwt", maxAge: env.SESSION_MAX_AGE_S },
  pages: { signIn: "/login", error: "/login" },
  providers: [
    Credentials({
      id: "password",
      credentials: { email: {}, password: {} },
      authorize: (credentials, request) => authenticateWithPassword(credentials, clientIpFrom(request.headers)),
    }),
    // A lost passkey: password plus a single-use recovery code (lib/auth/recovery.ts).
    Credentials({
      id: "recovery",
      credentials: { email: {}, password: {}, code: {} },
      authorize: (credentials, request) => authenticateWithRecoveryCode(credentials, clientIpFrom(request.headers)),
    }),
    // Usernameless passkey sign-in: `response` is the browser's AuthenticationResponseJSON as text.
    // The user it returns carries claims from the verified flags (amr pop/user/mfa, acr PHR).
    Credentials({
      id: "passkey",
      credentials: { response: {} },
      authorize: (credentials) => verifyPasskeySignIn(credentials?.response),
    }),
    // Optional single sign-on (env OIDC_*): the authorization code flow with PKCE, state and nonce;
    // Auth.js (oauth4webapi) verifies the ID token, lib/auth/sso.ts maps it. max_age makes the IdP
    // send auth_time (OIDC Core §3.1.2.1).
    ...(env.SSO
      ? [
          {
            id: "sso",
            name: env.SSO.name,
            type: "oidc" as const,
            issuer: env.SSO.issuer,
            clientId: env.SSO.clientId,
            clientSecret: env.SSO.clientSecret,
            checks: ["pkce" as const, "state" as const, "nonce" as const],
            authorization: { params: { scope: "openid email profile", max_age: String(env.SESSION_MAX_AGE_S) } },
            // The raw ID token, so lib/auth/sso.ts checks its signature itself before using any claim.
            // A refusal comes back as a user carrying only the reason, for the signIn callback below.
            profile: (_claims: Record<string, unknown>, tokens: { id_token?: string }) => ssoProfile(tokens.id_token),
          },
        ]
      : []),
  ],
  // Auth.js' own messages go to the structured log. A failed sign-in is an expected event (already
  // audited), so it is logged without a stack; a real error keeps its name and message.
  logger: {
    error: (error) =>
      error instanceof CredentialsSignin
        ? log.info({ event: "auth.credentials_signin_failed" }, "sign-in refused")
        : log.error({ err: { name: error.name, message: error.message, stack: error.stack } }, "auth.js error"),
    warn: (code) => log.warn({ code }, "auth.js warning"),
    debug: () => {},
  },
  // Every sign-out ends the server-side session, Vault's own actions and Auth.js' POST /api/auth/signout
  // alike: with JWT sessions Auth.js only clears the cookie, and hands this event the decoded token.
  events: {
    signOut: async (message) => {
      await endSignedOutSession("token" in message ? message.token : null);
    },
  },
  callbacks: {
    // A single sign-on Vault refused ends on the login page with its reason, not as Auth.js' generic
    // error=Configuration with a stack trace in the log (lib/auth/sso.ts ssoSignInRedirect).
    signIn: ({ user }) => ssoSignInRedirect(user),
    jwt: ({ token, user, trigger, session }) =>
      jwtCallback({
        token,
        user,
        trigger,
        session,
        openGrant: openSessionGrant,
        startSession: async (started) => {
          await endReplacedSession(started.userId);
          await startSession(started);
        },
        rotateSession: (sid, userId) => rotateSession(sid, userId),
      }),
    session: ({ session, token }) => sessionCallback({ session, token }),
    redirect: authRedirect,
  },
});

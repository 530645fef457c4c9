import "server-only";
import NextAuth from "next-auth";
import { CredentialsSignin } from "@auth/core/errors";
import Credentials from "next-auth/providers/credentials";
import "@/lib/auth/types";
import { jwtCallback, sessionCallback } from "@/lib/auth/callbacks";
import { authRedirect } from "@/lib/auth/redirects";
import { consumeGrant } from "@/lib/auth/grants";
import { startSession } from "@/lib/auth/sessions";
import { clientIpFrom } from "@/lib/audit/log";
import { authenticateWithRecoveryCode } from "@/lib/auth/recovery-sign-in";
import { authenticateWithPassword } from "@/lib/auth/users";
import { env } from "@/lib/env";
import { log } from "@/lib/log";
import { verifyPasskeySignIn } from "@/lib/webauthn/sign-in";
import { userForIdToken } from "@/lib/auth/sso";


export const { handlers, auth, signIn, signOut, unstable_update } = NextAuth({
  secret: env.AUTH_SECRET,
  trustHost: env.AUTH_TRUST_HOST,
  // JWT sessions in an encrypted, HttpOnly, SameSite=Lax cookie; Auth.js adds Secure and the
  // __Secure- prefix by itself when served over https.
  // The cookie's life matches the session record's absolute timeout (lib/auth/sessions.ts decides).
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
            profile: (_claims: Record<string, unknown>, tokens: { id_token?: string }) => userForIdToken(tokens.id_token),
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
  callbacks: {
    jwt: ({ token, user, trigger, session }) => jwtCallback({ token, user, trigger, session, consumeGrant, startSession }),
    session: ({ session, token }) => sessionCallback({ session, token }),
    redirect: authRedirect,
  },
});

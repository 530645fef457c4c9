import "server-only";
import { randomUUID } from "node:crypto";
import NextAuth from "next-auth";
import Credentials from "next-auth/providers/credentials";
import "@/lib/auth/types";
import { isAcr, passwordSignInClaims } from "@/lib/auth/claims";
import { authenticateWithPassword } from "@/lib/auth/users";
import { env } from "@/lib/env";

/** How long a sign-in lasts at most (NIST SP 800-63B-4 §2.2.3 allows up to 24 h at AAL2). */
export const SESSION_MAX_AGE_S = 12 * 60 * 60;

export const { handlers, auth, signIn, signOut, unstable_update } = NextAuth({
  secret: env.AUTH_SECRET,
  trustHost: env.AUTH_TRUST_HOST,
  // JWT sessions in an encrypted, HttpOnly, SameSite=Lax cookie; Auth.js adds Secure and the
  // __Secure- prefix by itself when served over https.
  session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_S },
  pages: { signIn: "/login", error: "/login" },
  providers: [
    Credentials({
      id: "password",
      credentials: { email: {}, password: {} },
      authorize: (credentials) => authenticateWithPassword(credentials),
    }),
  ],
  callbacks: {
    jwt({ token, user, trigger }) {
      if (trigger === "signIn" && user?.id) {
        // A fresh primary authentication replaces every assurance claim.
        const claims = passwordSignInClaims();
        token.uid = user.id;
        token.sid = randomUUID();
        token.amr = claims.amr;
        token.acr = claims.acr;
        token.auth_time = claims.auth_time;
      }
      // trigger === "update" is reachable by any signed-in browser (POST /api/auth/session), so its
      // `session` data is never copied into the token. Claims are raised only by the server.
      return token;
    },
    session({ session, token }) {
      if (!token.uid || !token.sid || !isAcr(token.acr)) return session;
      session.user = { ...session.user, id: token.uid, email: session.user?.email ?? "", name: session.user?.name ?? "" };
      session.amr = token.amr ?? [];
      session.acr = token.acr;
      session.auth_time = token.auth_time ?? 0;
      session.sid = token.sid;
      return session;
    },
  },
});

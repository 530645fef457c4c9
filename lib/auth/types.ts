/**
 * The one place that augments Auth.js' types with Vault's session claims.
 * `import "next-auth/jwt"` must stay: without it TypeScript rejects the augmentation (TS2664).
 */
import type { DefaultSession } from "next-auth";
import "next-auth/jwt";
import type { Acr, AssuranceClaims } from "@/lib/auth/claims";
import type { SsoRefusal } from "@/lib/auth/sso";

declare module "next-auth" {
  interface User {
    /** Set by the passkey sign-in provider; a password sign-in gets its claims in the jwt callback. */
    claims?: AssuranceClaims;
    /** Single sign-on: Auth.js gives an OAuth user a random id, so the Vault customer's id travels here. */
    vaultUserId?: string;
    /** How this sign-in happened, when the claims alone don't say (single sign-on). */
    method?: "sso";
    /** Single sign-on refused by Vault (lib/auth/sso.ts ssoProfile): the signIn callback sends the customer to the login page with it. */
    ssoRefused?: SsoRefusal;
  }
  interface Session {
    user: { id: string; email: string; name: string } & DefaultSession["user"];
    /** RFC 8176 method references, e.g. ["pwd"]. */
    amr: string[];
    acr: Acr;
    /** Epoch seconds of the sign-in (OIDC Core §2). */
    auth_time: number;
    /** This sign-in's id: step-up intents and grants are bound to it. */
    sid: string;
    /** Epoch seconds of the latest passkey (phishing-resistant) authentication, if any. */
    phr_time?: number;
    /** Epoch seconds of the latest password re-entry, if any. */
    reauth_time?: number;
    /** Epoch seconds of a sign-in with a recovery code, if this session began so. */
    recovery_time?: number;
  }
}

declare module "next-auth/jwt" {
  interface JWT {
    uid?: string;
    amr?: string[];
    acr?: Acr;
    auth_time?: number;
    sid?: string;
    phr_time?: number;
    reauth_time?: number;
    recovery_time?: number;
  }
}

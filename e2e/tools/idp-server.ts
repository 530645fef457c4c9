/**
 * `npm run dev:idp`: the test OpenID Provider (e2e/support/idp.ts) on http://127.0.0.1:4000, with a
 * client for Vault's dev server (http://localhost:3000). Sign in as ava@sso.example / idp-password-ava
 * (one-time code 246810) or ben@sso.example / idp-password-ben (135790). Ctrl-C stops it.
 *   IDP_PORT, IDP_CLIENT_ID, IDP_CLIENT_SECRET, IDP_REDIRECT_URIS (comma-separated) override the defaults.
 */
import { startIdp } from "../support/idp";

const port = Number(process.env.IDP_PORT ?? 4000);
const idp = await startIdp({
  port,
  clients: [
    {
      client_id: process.env.IDP_CLIENT_ID ?? "vault-dev",
      client_secret: process.env.IDP_CLIENT_SECRET ?? "vault-dev-secret-not-for-production",
      redirect_uris: (
        process.env.IDP_REDIRECT_URIS ??
        "http://localhost:3000/api/auth/callback/sso,http://localhost:3000/api/step-up/sso/callback"
      ).split(","),
    },
  ],
});
console.log(`test IdP on ${idp.issuer} (discovery: ${idp.issuer}/.well-known/openid-configuration)`);
const stop = () => void idp.stop().then(() => process.exit(0));
process.on("SIGINT", stop);
process.on("SIGTERM", stop);

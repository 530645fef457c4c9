/**
 * Single sign-on settings for an integration test, set before lib/ is imported (lib/env.ts reads the
 * environment once). Returns the issuer the test's ID tokens must name.
 */
export function configureTestSso(issuer = "https://idp.example.test"): string {
  process.env.OIDC_ISSUER = issuer;
  process.env.OIDC_CLIENT_ID = "vault";
  process.env.OIDC_CLIENT_SECRET = "secret";
  return issuer;
}

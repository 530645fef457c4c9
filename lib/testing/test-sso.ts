/**
 * Single sign-on for an integration test: a small issuer on 127.0.0.1 that publishes OIDC discovery
 * and a JWKS (real HTTP, a real RS256 key), and signs the ID tokens the test hands to Vault. The
 * settings are put in the environment before lib/ is imported (lib/env.ts reads it once).
 */
import { generateKeyPairSync, randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { SignJWT, exportJWK, type JWTPayload } from "jose";

export type TestIssuer = {
  issuer: string;
  clientId: string;
  sign(claims: JWTPayload, options?: { audience?: string; foreignKey?: boolean }): Promise<string>;
  stop(): Promise<void>;
};

export async function startTestIssuer(): Promise<TestIssuer> {
  const key = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const foreign = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const kid = randomBytes(4).toString("hex");
  const jwk = { ...(await exportJWK(key.publicKey)), kid, alg: "RS256", use: "sig" };
  const server = http.createServer((req, res) => {
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    if (req.url === "/.well-known/openid-configuration") {
      res.writeHead(200, { "content-type": "application/json" }).end(
        JSON.stringify({
          issuer: base,
          jwks_uri: `${base}/jwks`,
          authorization_endpoint: `${base}/auth`,
          token_endpoint: `${base}/token`,
          response_types_supported: ["code"],
          subject_types_supported: ["public"],
          id_token_signing_alg_values_supported: ["RS256"],
        }),
      );
    } else if (req.url === "/jwks") {
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ keys: [jwk] }));
    } else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clientId = "vault";
  process.env.OIDC_ISSUER = issuer;
  process.env.OIDC_CLIENT_ID = clientId;
  process.env.OIDC_CLIENT_SECRET = "secret";
  return {
    issuer,
    clientId,
    sign: (claims, options = {}) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: "RS256", kid })
        .setIssuer(typeof claims.iss === "string" ? claims.iss : issuer)
        .setAudience(options.audience ?? clientId)
        .setIssuedAt()
        .setExpirationTime("5m")
        .sign(options.foreignKey ? foreign.privateKey : key.privateKey),
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * SSO settings for an integration test that runs an IdP of its own, put in the environment before
 * lib/ is imported (lib/env.ts reads it once), so tests never touch process.env themselves.
 */
export function useSsoSettings(settings: {
  issuer: string;
  clientId: string;
  clientSecret: string;
  stepUpAcr?: string;
}): void {
  process.env.OIDC_ISSUER = settings.issuer;
  process.env.OIDC_CLIENT_ID = settings.clientId;
  process.env.OIDC_CLIENT_SECRET = settings.clientSecret;
  if (settings.stepUpAcr) process.env.OIDC_STEP_UP_ACR = settings.stepUpAcr;
}

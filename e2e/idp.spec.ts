/**
 * The test OpenID Provider itself (e2e/support/idp.ts), before Vault relies on it: discovery, the
 * authorization code flow with PKCE through its sign-in page in Chromium, the ID token's acr, amr
 * and auth_time for each level, and each misbehaviour. The IdP runs inside the test worker.
 */
import { createHash, randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Page } from "@playwright/test";
import { IDP_ACCOUNTS, IDP_ACR, startIdp, type Idp } from "./support/idp";
import { expect, test } from "./fixtures";

const CLIENT = {
  client_id: "idp-spec",
  client_secret: "idp-spec-secret",
  redirect_uris: [""], // the callback server's, once it listens
};
const ava = { email: "ava@sso.example", ...IDP_ACCOUNTS["ava@sso.example"] };

let idp: Idp;
/**
 * The client's redirect URI is a real listener on a free loopback port that records each callback:
 * the IdP answers with a redirect, and a route can't catch the target of a redirect in every
 * Chromium (the headless shell sends it to the network).
 */
let callbackServer: Server;
const callbacks: URL[] = [];
test.beforeAll(async () => {
  callbackServer = createServer((req, res) => {
    callbacks.push(new URL(req.url ?? "/", CLIENT.redirect_uris[0]));
    res.end("ok");
  });
  await new Promise<void>((resolve) => callbackServer.listen(0, "127.0.0.1", resolve));
  CLIENT.redirect_uris = [`http://127.0.0.1:${(callbackServer.address() as AddressInfo).port}/idp-callback`];
  idp = await startIdp({ clients: [CLIENT] }); // on a free port
});
test.afterAll(async () => {
  await idp?.stop();
  await new Promise((resolve) => callbackServer?.close(resolve));
});

/** Runs one authorization request through the IdP's page and returns the ID token's claims. */
async function signInAtIdp(page: Page, params: Record<string, string>, fill: { otp?: string } = {}) {
  const verifier = randomBytes(32).toString("base64url");
  const state = randomBytes(8).toString("hex");
  const ours = () => callbacks.find((url) => url.searchParams.get("state") === state);
  const query = new URLSearchParams({
    client_id: CLIENT.client_id,
    response_type: "code",
    redirect_uri: CLIENT.redirect_uris[0],
    scope: "openid email profile",
    state,
    nonce: randomBytes(8).toString("hex"),
    code_challenge: createHash("sha256").update(verifier).digest("base64url"),
    code_challenge_method: "S256",
    ...params,
  });
  await page.goto(`${idp.issuer}/auth?${query}`);
  if (!ours()) {
    await page.getByLabel("Email").fill(ava.email);
    await page.getByLabel("Password").fill(ava.password);
    if (fill.otp !== undefined) await page.getByLabel("One-time code").fill(fill.otp);
    await page.getByRole("button", { name: "Sign in" }).click();
  }
  await expect.poll(() => ours()?.searchParams.get("state")).toBe(state);
  const callback = ours()!;
  const res = await fetch(`${idp.issuer}/token`, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      authorization: `Basic ${Buffer.from(`${CLIENT.client_id}:${CLIENT.client_secret}`).toString("base64")}`,
    },
    body: new URLSearchParams({
      grant_type: "authorization_code",
      code: callback.searchParams.get("code")!,
      redirect_uri: CLIENT.redirect_uris[0],
      code_verifier: verifier,
    }),
  });
  expect(res.status).toBe(200);
  const { id_token } = (await res.json()) as { id_token: string };
  return JSON.parse(Buffer.from(id_token.split(".")[1], "base64url").toString()) as {
    sub: string;
    acr: string;
    amr: string[];
    auth_time: number;
    email: string;
  };
}

test("the test IdP: a password gives acr pwd; asking for mfa asks for the second factor and gives acr mfa", async ({
  page,
}) => {
  const discovery = (await (await fetch(`${idp.issuer}/.well-known/openid-configuration`)).json()) as {
    acr_values_supported: string[];
  };
  expect(discovery.acr_values_supported).toEqual([IDP_ACR.PWD, IDP_ACR.MFA]);

  const before = Math.floor(Date.now() / 1000);
  const basic = await signInAtIdp(page, {});
  expect(basic).toMatchObject({ sub: ava.sub, email: ava.email, acr: IDP_ACR.PWD, amr: ["pwd"] });
  expect(basic.auth_time).toBeGreaterThanOrEqual(before - 1);

  // Step-up: the session is only pwd, so the page comes back with a one-time code field.
  const stepped = await signInAtIdp(page, { acr_values: IDP_ACR.MFA, max_age: "0" }, { otp: ava.otp });
  expect(stepped).toMatchObject({ acr: IDP_ACR.MFA, amr: ["pwd", "otp", "mfa"] });
  expect(stepped.auth_time).toBeGreaterThanOrEqual(basic.auth_time);
});

test("the test IdP misbehaves on request: acr_values ignored, or a stale auth_time", async ({ page }) => {
  idp.misbehave({ ignoreAcr: true });
  const ignored = await signInAtIdp(page, { acr_values: IDP_ACR.MFA, prompt: "login" });
  expect(ignored.acr).toBe(IDP_ACR.PWD); // asked for mfa, silently got a password
  idp.misbehave({ ignoreAcr: false, staleAuthTime: true });
  const stale = await signInAtIdp(page, { acr_values: IDP_ACR.MFA, max_age: "0" }, { otp: ava.otp });
  expect(stale.acr).toBe(IDP_ACR.MFA);
  expect(Math.floor(Date.now() / 1000) - stale.auth_time).toBeGreaterThan(3000); // an hour old, though max_age=0
  idp.misbehave({ staleAuthTime: false });
});

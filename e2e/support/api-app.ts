/**
 * An API client's side of the e2e tests (e2e/api.spec.ts, e2e/spc.spec.ts): a token made in the
 * security centre, and access tokens traded for it over real HTTP.
 */
import { createHash, randomBytes } from "node:crypto";
import type { APIRequestContext, Page } from "@playwright/test";
import { expect, stepUpAsked } from "../fixtures";
import { unusedLoopbackUrl } from "./free-port";

/** The app's redirect URI: nothing listens there, and the tests catch the navigation. */
export const REDIRECT = unusedLoopbackUrl("/callback");

export async function createToken(page: Page, name: string, scopes: string[]) {
  await page.goto("/settings/security#api");
  const form = page.getByTestId("api-create-form");
  await form.getByLabel("Token name").fill(name);
  for (const box of await form.getByRole("checkbox").all())
    await box.setChecked(scopes.includes((await box.getAttribute("value"))!));
  await form.getByRole("button", { name: "Create API token" }).click();
  // A passkey within 5 minutes is needed: the step-up page, if there wasn't one, then back, finished without retyping.
  const created = page.getByTestId("api-token-created");
  if (await stepUpAsked(page, created)) {
    await expect(page.getByTestId("step-up-title")).toHaveText(`Create the API token "${name}"`);
    await page.getByRole("button", { name: "Confirm with passkey" }).click();
  }
  await expect(created).toBeVisible();
  return {
    clientId: await created.getByTestId("api-client-id").innerText(),
    secret: await created.getByTestId("api-client-secret").innerText(),
  };
}

export async function clientCredentials(request: APIRequestContext, client: { clientId: string; secret: string }) {
  const res = await request.post("/api/v1/oauth/token", {
    headers: { authorization: `Basic ${Buffer.from(`${client.clientId}:${client.secret}`).toString("base64")}` },
    form: { grant_type: "client_credentials" },
  });
  expect(res.status()).toBe(200);
  return ((await res.json()) as { access_token: string }).access_token;
}

/** The authorize URL an app sends the customer to for its intent (RFC 6749 §4.1 with PKCE S256), and its verifier and state. */
export function authorization(endpoint: string, clientId: string, intentId: string) {
  const verifier = randomBytes(32).toString("base64url");
  const state = randomBytes(12).toString("base64url");
  const url = `${endpoint}?${new URLSearchParams({
    response_type: "code",
    client_id: clientId,
    intent_id: intentId,
    scope: "transfer:funds",
    redirect_uri: REDIRECT,
    state,
    code_challenge: createHash("sha256").update(verifier).digest("base64url"),
    code_challenge_method: "S256",
    acr_values: "urn:vault:acr:phr",
    max_age: "0",
  })}`;
  return { url, verifier, state };
}

/** Answers the navigation to the app's redirect URI with a page of its own, and keeps the URL it was sent. */
export async function catchRedirect(page: Page): Promise<{ callback?: URL }> {
  const caught: { callback?: URL } = {};
  await page.route(`${REDIRECT}**`, async (route) => {
    caught.callback = new URL(route.request().url());
    await route.fulfill({
      contentType: "text/html",
      body: "<!doctype html><title>Done</title><p>You can close this window.</p>",
    });
  });
  return caught;
}

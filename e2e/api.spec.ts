/**
 * The bearer-token API with a real browser for the customer's half: a token made in the security
 * centre (under a passkey), the API over real HTTP, RFC 9470's 401 for a payment, the customer
 * confirming the app's intent on /oauth/authorize with the virtual authenticator, the code exchanged
 * with PKCE, the single-use token moving the money once, and revocation from the security centre.
 */
import { randomUUID } from "node:crypto";
import AxeBuilder from "@axe-core/playwright";
import { accountsOf, addPayee } from "./support/bank";
import { queryE2eDb } from "./support/e2e-db";
import { blockPasskeyAutofill, enrolFirstPasskey, expect, signIn, test } from "./fixtures";
import { authorization, catchRedirect, clientCredentials, createToken, REDIRECT } from "./support/api-app";

test("an app gets a single-use token for one payment the customer confirmed with a passkey, in the browser", async ({
  page,
  request,
  signedInCustomer,
  authenticator,
}) => {
  test.setTimeout(90_000);
  await enrolFirstPasskey(page, authenticator, signedInCustomer);
  await addPayee(page, "ACME Ltd", "GB82 WEST 1234 5698 7654 32");
  const payee = queryE2eDb<{ id: string }>(
    `SELECT id FROM "Payee" WHERE name = 'ACME Ltd' AND userId = (SELECT id FROM "User" WHERE email = ?)`,
    signedInCustomer.email.toLowerCase(),
  )[0].id;
  const [checking] = accountsOf(signedInCustomer.email);

  const client = await createToken(page, "Budget script", ["accounts:read", "transfer:funds"]);
  expect(client.secret).toMatch(/^vlt_pat_[A-Za-z0-9_-]{43}$/);
  await page.getByLabel("I've stored it safely").check();
  await page.getByRole("button", { name: "Done" }).click();
  await expect(page.getByTestId("api-client-row")).toContainText("Budget script");
  await expect(page.getByTestId("api-client-row")).not.toContainText(client.secret.slice(8));

  // The app, over real HTTP.
  const token = await clientCredentials(request, client);
  const accounts = await request.get("/api/v1/accounts", { headers: { authorization: `Bearer ${token}` } });
  expect(accounts.status()).toBe(200);
  const body = { from_account_id: checking.id, to: `payee:${payee}`, amount: "1250.00", memo: "Invoice 7" };
  const key = randomUUID().replaceAll("-", "");
  const payment = () =>
    request.post("/api/v1/transfers", {
      headers: { authorization: `Bearer ${stepUpToken ?? token}`, "idempotency-key": key },
      data: body,
    });
  let stepUpToken: string | undefined; // eslint-disable-line prefer-const -- set once the customer has confirmed
  const asked = await payment();
  expect(asked.status()).toBe(401);
  expect(asked.headers()["www-authenticate"]).toBe(
    'Bearer realm="vault", error="insufficient_user_authentication", error_description="The customer must confirm this operation with a passkey", acr_values="urn:vault:acr:phr", max_age="0"',
  );
  const { intent, authorization_endpoint } = (await asked.json()) as {
    intent: { id: string; summary: string };
    authorization_endpoint: string;
  };
  expect(intent.summary).toBe("Send $1,250.00 to ACME Ltd");

  // The customer's half, in the browser: sees exactly what the app wants, confirms with the passkey.
  const { url: authorizeUrl, verifier, state } = authorization(authorization_endpoint, client.clientId, intent.id);
  const caught = await catchRedirect(page);
  await page.goto(authorizeUrl);
  await expect(page.getByTestId("step-up-title")).toHaveText("Send $1,250.00 to ACME Ltd");
  await expect(page.getByText("Budget script", { exact: true })).toBeVisible();
  await expect(page.getByTestId("step-up-details")).toContainText("ACME Ltd (IBAN ••• 5432)");
  const { violations } = await new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"])
    .analyze();
  expect(
    violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => v.id),
    "axe on /oauth/authorize",
  ).toEqual([]);
  await page.getByRole("button", { name: "Confirm with passkey" }).click();
  await expect.poll(() => caught.callback?.searchParams.get("state")).toBe(state);
  await expect(page).toHaveURL((url) => url.href.startsWith(`${REDIRECT}?`)); // the navigation has landed before the next one
  const code = caught.callback!.searchParams.get("code")!;

  const exchange = await request.post("/api/v1/oauth/token", {
    form: {
      grant_type: "authorization_code",
      code,
      redirect_uri: REDIRECT,
      code_verifier: verifier,
      client_id: client.clientId,
      client_secret: client.secret,
    },
  });
  expect(exchange.status()).toBe(200);
  const grant = (await exchange.json()) as {
    access_token: string;
    intent_id: string;
    scope: string;
    expires_in: number;
  };
  expect(grant).toMatchObject({ intent_id: intent.id, scope: "transfer:funds", expires_in: 120 });
  stepUpToken = grant.access_token;

  const before = accountsOf(signedInCustomer.email)[0].balance;
  const moved = await payment();
  expect(moved.status()).toBe(201);
  expect(await moved.json()).toMatchObject({
    amount: "1250.00",
    amount_minor: 125000,
    sca: "step_up",
    to: `payee:${payee}`,
  });
  expect(accountsOf(signedInCustomer.email)[0].balance).toBe(before - 125_000);
  const again = await payment();
  expect(again.status()).toBe(401);
  expect(again.headers()["www-authenticate"]).toContain('error="invalid_token"');
  expect(accountsOf(signedInCustomer.email)[0].balance).toBe(before - 125_000);

  // Declined: the intent is cancelled and the app hears access_denied.
  const second = await request.post("/api/v1/transfers", {
    headers: { authorization: `Bearer ${token}`, "idempotency-key": randomUUID().replaceAll("-", "") },
    data: { ...body, amount: "400.00" },
  });
  const declined = ((await second.json()) as { intent: { id: string } }).intent.id;
  caught.callback = undefined;
  await page.goto(authorizeUrl.replace(intent.id, declined));
  await expect(page.getByTestId("step-up-title")).toHaveText("Send $400.00 to ACME Ltd");
  await page.getByRole("button", { name: "Decline" }).click();
  await expect.poll(() => caught.callback?.searchParams.get("error")).toBe("access_denied");
  await expect(page).toHaveURL((url) => url.href.startsWith(`${REDIRECT}?error=access_denied`));
  expect(caught.callback!.searchParams.get("state")).toBe(state);
  expect(queryE2eDb<{ status: string }>(`SELECT status FROM "StepUpIntent" WHERE id = ?`, declined)[0].status).toBe(
    "CANCELLED",
  );

  // Revoked in the security centre: the app's access token stops at once.
  await page.goto("/settings/security#api");
  await page.getByRole("button", { name: "Revoke Budget script" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Revoke token" }).click();
  await expect(page.getByTestId("api-client-row")).toContainText("Revoked");
  const refused = await request.get("/api/v1/accounts", { headers: { authorization: `Bearer ${token}` } });
  expect(refused.status()).toBe(401);
});

test('a path no API route claims, including an id of "." or ".." that URL parsing folds away, answers with the API\'s error object', async ({
  request,
}) => {
  const paths = ["/api/v1/accounts/./transactions", "/api/v1/accounts/../number", "/api/v1/nope", "/api/nope"];
  for (const path of paths) {
    for (const method of ["GET", "POST", "DELETE"] as const) {
      const res = await request.fetch(path, { method, headers: { authorization: "Bearer x" } });
      expect(res.status(), `${method} ${path}`).toBe(404);
      expect(res.headers()["content-type"], `${method} ${path}`).toContain("application/json");
      expect(await res.json()).toMatchObject({
        error: "not_found",
        error_description: expect.stringContaining("openapi"),
      });
    }
  }
});

test("the authorize page refuses a malformed request or a redirect that isn't loopback, and sends a signed-out customer to sign in first", async ({
  page,
  signedInCustomer: _signedIn,
}) => {
  await page.goto("/oauth/authorize?response_type=code&client_id=x&redirect_uri=https://evil.example/cb");
  await expect(page.getByTestId("authorize-error")).toContainText("incomplete or malformed");
  await page.context().clearCookies();
  const target = "/oauth/authorize?response_type=code&client_id=vlt_client_x";
  await page.goto(target);
  await expect(page).toHaveURL(new RegExp(`/login\\?next=${encodeURIComponent(target).replace(/[.?]/g, "\\$&")}$`));
});

test("after a password sign-in, making a token asks for the passkey, then finishes without retyping", async ({
  page,
  customerWithPasskey,
}) => {
  await blockPasskeyAutofill(page);
  await page.context().clearCookies();
  await signIn(page, customerWithPasskey); // a password: acr aal1, no passkey in this session
  await expect(page).toHaveURL(/\/dashboard$/);
  await page.goto("/settings/security#api");
  const form = page.getByTestId("api-create-form");
  await form.getByLabel("Token name").fill("Nightly export");
  await form.getByLabel(/transfers:read/).check();
  await form.getByLabel("Expires after").selectOption("7");
  await form.getByRole("button", { name: "Create API token" }).click();
  await expect(page).toHaveURL(/\/step-up\//);
  await expect(page.getByTestId("step-up-title")).toHaveText('Create the API token "Nightly export"');
  await expect(page.getByTestId("step-up-details")).toContainText("accounts:read, transfers:read");
  await expect(page.getByTestId("step-up-details")).toContainText("7 days");
  await page.getByRole("button", { name: "Confirm with passkey" }).click();
  await expect(page).toHaveURL(/\/settings\/security\?api=/);
  await expect(page.getByTestId("api-token-created")).toContainText('Copy the token for "Nightly export" now');
  await page.goto("/settings/security");
  await expect(page.getByTestId("audit-log")).toContainText("You created the API token");
  await expect(page.getByTestId("audit-log")).toContainText("Nightly export");
  const row = queryE2eDb<{ scopes: string; acr: string }>(
    `SELECT scopes, acr FROM "ApiClient" WHERE name = 'Nightly export'`,
  )[0];
  expect(row).toEqual({ scopes: "accounts:read transfers:read", acr: "urn:vault:acr:phr" });
});

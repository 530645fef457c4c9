/**
 * Step-up through the IdP for a customer who signs in with SSO, against the real test OpenID
 * Provider, through the whole browser redirect flow: Vault asks with acr_values, max_age and
 * prompt=login; the IdP asks for the second factor; Vault checks the ID token's nonce, acr and
 * auth_time before the intent resumes. The IdP's misbehaviour is switched per test, so these run
 * in order, on one worker.
 */
import type { Page } from "@playwright/test";
import { IDP } from "./playwright.config";
import { accountsOf, addPayee, fillTransfer, snapshot, TRANSFER_PAGE, sendTransfer } from "./support/bank";
import { queryE2eDb } from "./support/e2e-db";
import { IDP_ACCOUNTS, type Misbehaviour } from "./support/idp";
import { blockPasskeyAutofill, credentialCount, expect, saveRecoveryCodes, test } from "./fixtures";

test.describe.configure({ mode: "serial" });

const ben = { email: "ben@sso.example", ...IDP_ACCOUNTS["ben@sso.example"] };
const IDP_URL = `http://127.0.0.1:${IDP.port}`;

async function misbehave(m: Partial<Misbehaviour>) {
  const res = await fetch(`${IDP_URL}/__test/misbehave`, { method: "POST", body: JSON.stringify(m) });
  expect(res.status).toBe(200);
}

/** The IdP's sign-in page: email, password, and the one-time code when it asks for one. */
async function atIdp(page: Page, { otp }: { otp?: boolean } = {}) {
  await expect(page).toHaveURL(new RegExp(`^${IDP_URL.replace(/[.]/g, "\\.")}/interaction/`));
  await page.getByLabel("Email").fill(ben.email);
  await page.getByLabel("Password").fill(ben.password);
  if (otp) await page.getByLabel("One-time code").fill(ben.otp);
  else await expect(page.getByLabel("One-time code")).toHaveCount(0);
  await page.getByRole("button", { name: "Sign in" }).click();
}

async function signInWithSso(page: Page) {
  await blockPasskeyAutofill(page);
  await page.goto("/login");
  await page.getByRole("button", { name: "Sign in with Example SSO" }).click();
  await atIdp(page);
  await expect(page).toHaveURL(/\/dashboard$/);
}

/** Asks for a $1,250.00 payment to ACME Ltd and returns its intent id, waiting on the step-up page. */
async function bigPayment(page: Page) {
  await fillTransfer(page, "ACME Ltd", "1250.00");
  await sendTransfer(page);
  await expect(page).toHaveURL(/\/step-up\//);
  await expect(page.getByTestId("step-up-title")).toHaveText("Send $1,250.00 to ACME Ltd");
  return new URL(page.url()).pathname.split("/").pop()!;
}

const intentStatus = (id: string) =>
  queryE2eDb<{ status: string }>(`SELECT status FROM "StepUpIntent" WHERE id = ?`, id)[0].status;
const lastVerify = (email: string) =>
  queryE2eDb<{ outcome: string; reason: string | null }>(
    `SELECT outcome, reason FROM "AuditEvent" WHERE action = 'step_up.verify' AND "userId" = (SELECT id FROM "User" WHERE email = ?) ORDER BY "createdAt" DESC, id DESC LIMIT 1`,
    email,
  )[0];

test.afterEach(async () => misbehave({ ignoreAcr: false, staleAuthTime: false }));

test("an SSO customer adds a payee and sends a large transfer, each confirmed at the IdP with the second factor", async ({
  page,
}) => {
  await signInWithSso(page);
  await addPayee(page, "ACME Ltd", "GB82 WEST 1234 5698 7654 32", { confirm: false });
  await expect(page.getByTestId("step-up-title")).toHaveText("Add ACME Ltd as a payee");
  await page.getByRole("button", { name: "Confirm with Example SSO" }).click();
  await atIdp(page, { otp: true }); // acr_values asked for the second factor, and prompt=login for a fresh sign-in
  await expect(page).toHaveURL(/\/payees\?added=1$/);
  await expect(page.getByTestId("payee-row")).toContainText("ACME Ltd");

  const [checking] = accountsOf(ben.email);
  const id = await bigPayment(page);
  await page.getByRole("button", { name: "Confirm with Example SSO" }).click();
  await atIdp(page, { otp: true });
  await expect(page).toHaveURL(TRANSFER_PAGE);
  await expect(page.getByTestId("transfer-amount")).toHaveText("$1,250.00");
  expect(accountsOf(ben.email)[0].balance).toBe(checking.balance - 125_000);
  expect(intentStatus(id)).toBe("CONSUMED");
  expect(lastVerify(ben.email)).toEqual({ outcome: "SUCCESS", reason: null });
});

test("an IdP that ignores acr_values is refused, with a clear message, and nothing moves", async ({ page }) => {
  await signInWithSso(page);
  const id = await bigPayment(page);
  const before = snapshot(ben.email);
  await misbehave({ ignoreAcr: true });
  await page.getByRole("button", { name: "Confirm with Example SSO" }).click();
  await atIdp(page, { otp: false }); // the IdP never asks for the second factor
  await expect(page).toHaveURL(new RegExp(`/step-up/${id}\\?sso=acr$`));
  await expect(page.getByTestId("step-up-sso-error")).toContainText(
    "Example SSO signed you in without the extra check Vault asked for",
  );
  expect(snapshot(ben.email)).toEqual(before);
  expect(intentStatus(id)).toBe("PENDING");
  expect(lastVerify(ben.email)).toEqual({ outcome: "FAILURE", reason: "sso_acr" });
});

test("an IdP that reports a stale auth_time is refused, and nothing moves", async ({ page }) => {
  await signInWithSso(page);
  const id = await bigPayment(page);
  const before = snapshot(ben.email);
  await misbehave({ staleAuthTime: true });
  await page.getByRole("button", { name: "Confirm with Example SSO" }).click();
  await atIdp(page, { otp: true });
  await expect(page).toHaveURL(new RegExp(`/step-up/${id}\\?sso=stale$`));
  await expect(page.getByTestId("step-up-sso-error")).toContainText("Example SSO didn't ask you to sign in again");
  expect(snapshot(ben.email)).toEqual(before);
  expect(intentStatus(id)).toBe("PENDING");
});

test("a tampered state or nonce is rejected, and nothing moves", async ({ page }) => {
  await signInWithSso(page);
  const id = await bigPayment(page);
  const before = snapshot(ben.email);

  // state: the IdP's real answer (a valid code) comes back with a state this session never sent. The
  // sign-in POST is followed by hand to the redirect that carries the code, and that one is altered.
  await page.route(`${IDP_URL}/interaction/**`, async (route) => {
    if (route.request().method() !== "POST") return route.continue();
    const signedIn = await route.fetch({ maxRedirects: 0 });
    const resume = await page
      .context()
      .request.get(new URL(signedIn.headers()["location"], IDP_URL).toString(), { maxRedirects: 0 });
    const callback = new URL(resume.headers()["location"]);
    expect(callback.pathname).toBe("/api/step-up/sso/callback");
    expect(callback.searchParams.get("code")).toBeTruthy();
    callback.searchParams.set("state", "forged-state-0123456789");
    await route.fulfill({ status: 303, headers: { location: callback.toString() } });
  });
  await page.getByRole("button", { name: "Confirm with Example SSO" }).click();
  await atIdp(page, { otp: true });
  await expect(page).toHaveURL(/\/dashboard$/);
  expect(lastVerify(ben.email)).toEqual({ outcome: "FAILURE", reason: "sso_state" });
  await page.unrouteAll();

  // nonce: the request to the IdP is changed on the way, so the ID token carries another nonce.
  await page.goto(`/step-up/${id}`);
  await page.route(`${IDP_URL}/auth?**`, async (route) => {
    const url = new URL(route.request().url());
    url.searchParams.set("nonce", "forged-nonce-0123456789");
    await route.continue({ url: url.toString() });
  });
  await page.getByRole("button", { name: "Confirm with Example SSO" }).click();
  await atIdp(page, { otp: true });
  await expect(page).toHaveURL(new RegExp(`/step-up/${id}\\?sso=id_token$`));
  await expect(page.getByTestId("step-up-sso-error")).toContainText("couldn't be verified");
  expect(lastVerify(ben.email)).toEqual({ outcome: "FAILURE", reason: "sso_id_token" });
  expect(snapshot(ben.email)).toEqual(before);
  expect(intentStatus(id)).toBe("PENDING");
});

test("an SSO customer without a passkey (and without a password) adds one after confirming at the IdP", async ({
  page,
  authenticator,
}) => {
  await signInWithSso(page);
  await page.goto("/settings/security");
  await expect(page.getByText("You'll confirm at your company's sign-in first.")).toBeVisible();
  await page.getByLabel("Passkey name").fill("Ben's laptop");
  await page.getByRole("button", { name: "Add a passkey" }).click();
  await expect(page).toHaveURL(/\/step-up\//);
  await expect(page.getByTestId("step-up-title")).toHaveText("Add a new passkey");
  await page.getByRole("button", { name: "Confirm with Example SSO" }).click();
  await atIdp(page, { otp: true });
  await expect(page).toHaveURL(/\/settings\/security\?confirmed=1$/);
  await page.getByLabel("Passkey name").fill("Ben's laptop");
  await page.getByRole("button", { name: "Add a passkey" }).click();
  await saveRecoveryCodes(page); // the first passkey comes with recovery codes
  await expect(page.getByTestId("passkey-name")).toHaveText(["Ben's laptop"]);
  expect(await credentialCount(authenticator)).toBe(1); // made on this device's authenticator
});

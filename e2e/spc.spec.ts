import type { Page } from "@playwright/test";
import { confirmStepUp, expect, saveRecoveryCodes, test, type VirtualAuthenticator } from "./fixtures";
import { randomUUID } from "node:crypto";
import { authorization, catchRedirect, clientCredentials, createToken, REDIRECT } from "./support/api-app";
import { accountsOf, addPayee, fillTransfer, sendTransfer, userId } from "./support/bank";
import { queryE2eDb } from "./support/e2e-db";

/**
 * Secure Payment Confirmation (lib/assurance/spc.ts), in Chromium launched with
 * --enable-features=SecurePaymentConfirmationBrowser (the `spc` project in playwright.config.ts).
 * The browser's dialog is answered by CDP's Page.setSPCTransactionMode, as a person would answer it:
 * autoAccept confirms, autoReject closes it, autoOptOut opts out ("verify another way" falls back).
 */
type SpcMode = "autoAccept" | "autoReject" | "autoOptOut" | "autoChooseToAuthAnotherWay";
const answerDialogWith = (authenticator: VirtualAuthenticator, mode: SpcMode) =>
  authenticator.cdp.send("Page.setSPCTransactionMode" as never, { mode } as never);

const paymentsOf = (email: string) =>
  queryE2eDb<{ amount: number; sca: string }>(
    `SELECT amount, sca FROM "Transfer" WHERE userId = ? AND payeeId IS NOT NULL ORDER BY createdAt`,
    userId(email),
  );
const passkeysOf = (email: string) =>
  queryE2eDb<{ id: string; nickname: string; payment: number }>(
    `SELECT id, nickname, payment FROM "Passkey" WHERE userId = ? ORDER BY createdAt`,
    userId(email),
  );
const intentStatus = (id: string) =>
  queryE2eDb<{ status: string }>(`SELECT status FROM "StepUpIntent" WHERE id = ?`, id)[0]?.status;

/** A customer with a passkey and the payee ACME Ltd, on the step-up page for $1,250.00 to them. */
async function askToPayAcme(page: Page): Promise<string> {
  await fillTransfer(page, "ACME Ltd", "1250.00");
  await sendTransfer(page);
  await expect(page).toHaveURL(/\/step-up\//);
  await expect(page.getByTestId("step-up-title")).toHaveText("Send $1,250.00 to ACME Ltd");
  return new URL(page.url()).pathname.split("/").pop()!;
}

test.describe("Secure Payment Confirmation", () => {
  test("the browser's dialog confirms a $1,250.00 payment once, and the receipt and the log say so", async ({
    page,
    customerWithPasskey,
    authenticator,
  }) => {
    expect(passkeysOf(customerWithPasskey.email).map((p) => p.payment)).toEqual([1]); // made with the payment extension
    await page.goto("/settings/security");
    await expect(page.getByTestId("passkey-name")).toContainText("Payment dialog");
    await expect(page.getByTestId("passkey-upgrade")).toHaveCount(0);
    await addPayee(page, "ACME Ltd", "GB82 WEST 1234 5698 7654 32"); // not a payment: WebAuthn

    await askToPayAcme(page);
    await expect(page.getByTestId("step-up-spc-hint")).toBeVisible();
    await answerDialogWith(authenticator, "autoAccept");
    await page.getByRole("button", { name: "Confirm in your browser" }).click();
    await expect(page).toHaveURL(/\/transfers\/[a-z0-9]+$/);
    await expect(page.getByTestId("transfer-amount")).toHaveText("$1,250.00");
    await expect(page.getByTestId("receipt-confirmed")).toHaveText("Confirmed in your browser's payment dialog");
    expect(paymentsOf(customerWithPasskey.email)).toEqual([{ amount: 125_000, sca: "STEP_UP_SPC" }]);

    const audit = queryE2eDb<{ metadata: string }>(
      `SELECT metadata FROM "AuditEvent" WHERE userId = ? AND action = 'step_up.verify' AND outcome = 'SUCCESS' ORDER BY createdAt`,
      userId(customerWithPasskey.email),
    ).map((r) => JSON.parse(r.metadata) as { ceremony?: string; policy?: string });
    expect(audit.map((m) => [m.policy, m.ceremony])).toEqual([
      ["payee.add", "webauthn"],
      ["transfer.payee", "spc"],
    ]);
    await page.goto("/settings/security?category=all");
    await expect(page.getByTestId("audit-log")).toContainText("Confirmed in your browser's payment dialog");
  });

  test('closing the dialog cancels cleanly; opting out or "verify another way" falls back to the passkey; nothing moves until then', async ({
    page,
    customerWithPasskey,
    authenticator,
  }) => {
    await addPayee(page, "ACME Ltd", "GB82 WEST 1234 5698 7654 32");
    const intentId = await askToPayAcme(page);

    // Rejected: a clear message, the payment still waiting, nothing sent.
    await answerDialogWith(authenticator, "autoReject");
    await page.getByRole("button", { name: "Confirm in your browser" }).click();
    await expect(page.getByTestId("step-up-error")).toContainText("You closed your browser's payment dialog");
    expect(intentStatus(intentId)).toBe("PENDING");
    expect(paymentsOf(customerWithPasskey.email)).toEqual([]);

    // Opted out: back to a plain passkey, which asks for a click of its own.
    await answerDialogWith(authenticator, "autoOptOut");
    await page.getByRole("button", { name: "Confirm in your browser" }).click();
    await expect(page.getByTestId("step-up-error")).toContainText("Confirm with your passkey instead");
    expect(intentStatus(intentId)).toBe("PENDING");
    expect(paymentsOf(customerWithPasskey.email)).toEqual([]);
    // "Verify another way" in the dialog (after a reload, which offers the dialog again): the same.
    await page.reload();
    await answerDialogWith(authenticator, "autoChooseToAuthAnotherWay");
    await page.getByRole("button", { name: "Confirm in your browser" }).click();
    await expect(page.getByTestId("step-up-error")).toContainText("Confirm with your passkey instead");
    expect(intentStatus(intentId)).toBe("PENDING");
    expect(paymentsOf(customerWithPasskey.email)).toEqual([]);
    await confirmStepUp(page);
    await expect(page.getByTestId("receipt-confirmed")).toHaveText("Confirmed with your passkey");
    expect(paymentsOf(customerWithPasskey.email)).toEqual([{ amount: 125_000, sca: "STEP_UP" }]);
  });

  test("a passkey made without the payment extension uses WebAuthn, and is offered an upgrade that replaces it", async ({
    page,
    signedInCustomer,
    authenticator,
  }) => {
    // Made as for a security key or another device: without the payment extension.
    await page.goto("/settings/security");
    await page.getByLabel("Passkey name").fill("Old laptop");
    await page.getByRole("button", { name: "Use a security key or another device instead" }).click();
    await page.getByLabel("Your password").fill(signedInCustomer.password);
    await page.getByRole("button", { name: "Confirm password" }).click();
    await saveRecoveryCodes(page);
    expect(passkeysOf(signedInCustomer.email).map((p) => p.payment)).toEqual([0]);
    await addPayee(page, "ACME Ltd", "GB82 WEST 1234 5698 7654 32");

    // Meanwhile: the payment is confirmed with WebAuthn, as before.
    await askToPayAcme(page);
    await expect(page.getByTestId("step-up-spc-hint")).toHaveCount(0);
    await confirmStepUp(page);
    await expect(page.getByTestId("receipt-confirmed")).toHaveText("Confirmed with your passkey");

    // The upgrade: a new registration on this device, then the old passkey removed under its policy.
    await page.goto("/settings/security");
    const upgrade = page.getByTestId("passkey-upgrade");
    await expect(upgrade).toContainText("Can't confirm payments in your browser's own dialog");
    await upgrade.getByRole("button", { name: "Upgrade Old laptop for your browser's payment dialog" }).click();
    await expect(
      page.getByText(`Upgraded "Old laptop": it can now confirm payments in your browser's dialog.`),
    ).toBeVisible();
    await expect(page.getByTestId("passkey-upgrade")).toHaveCount(0);
    const [upgraded, ...others] = passkeysOf(signedInCustomer.email);
    expect(others).toEqual([]);
    expect(upgraded).toMatchObject({ nickname: "Old laptop", payment: 1 });

    // …and the next payment uses the browser's dialog.
    await askToPayAcme(page);
    await answerDialogWith(authenticator, "autoAccept");
    await page.getByRole("button", { name: "Confirm in your browser" }).click();
    await expect(page.getByTestId("receipt-confirmed")).toHaveText("Confirmed in your browser's payment dialog");
    expect(paymentsOf(signedInCustomer.email).map((p) => p.sca)).toEqual(["STEP_UP", "STEP_UP_SPC"]);
  });

  test("an app's payment is confirmed in the browser's dialog on /oauth/authorize, and its token moves the money once", async ({
    page,
    request,
    customerWithPasskey,
    authenticator,
  }) => {
    await addPayee(page, "ACME Ltd", "GB82 WEST 1234 5698 7654 32");
    const payee = queryE2eDb<{ id: string }>(
      `SELECT id FROM "Payee" WHERE userId = ?`,
      userId(customerWithPasskey.email),
    )[0].id;
    const client = await createToken(page, "Budget script", ["accounts:read", "transfer:funds"]);
    await page.getByLabel("I've stored it safely").check();
    await page.getByRole("button", { name: "Done" }).click();

    const token = await clientCredentials(request, client);
    const key = randomUUID().replaceAll("-", "");
    const body = {
      from_account_id: accountsOf(customerWithPasskey.email)[0].id,
      to: `payee:${payee}`,
      amount: "1250.00",
    };
    const pay = (bearer: string) =>
      request.post("/api/v1/transfers", {
        headers: { authorization: `Bearer ${bearer}`, "idempotency-key": key },
        data: body,
      });
    const asked = await pay(token);
    expect(asked.status()).toBe(401);
    const { intent, authorization_endpoint } = (await asked.json()) as {
      intent: { id: string };
      authorization_endpoint: string;
    };

    const { url, verifier } = authorization(authorization_endpoint, client.clientId, intent.id);
    const caught = await catchRedirect(page);
    await page.goto(url);
    await expect(page.getByTestId("step-up-title")).toHaveText("Send $1,250.00 to ACME Ltd");
    await answerDialogWith(authenticator, "autoAccept");
    await page.getByRole("button", { name: "Confirm in your browser" }).click();
    await expect.poll(() => caught.callback?.searchParams.get("code")).toBeTruthy();
    await expect(page).toHaveURL((url) => url.href.startsWith(`${REDIRECT}?`));
    const exchange = await request.post("/api/v1/oauth/token", {
      form: {
        grant_type: "authorization_code",
        code: caught.callback!.searchParams.get("code")!,
        redirect_uri: REDIRECT,
        code_verifier: verifier,
        client_id: client.clientId,
        client_secret: client.secret,
      },
    });
    expect(exchange.status()).toBe(200);
    const stepUpToken = ((await exchange.json()) as { access_token: string }).access_token;
    const moved = await pay(stepUpToken);
    expect(moved.status()).toBe(201);
    expect(await moved.json()).toMatchObject({ amount: "1250.00", sca: "step_up_spc" });
    expect((await pay(stepUpToken)).status()).toBe(401); // single-use
    expect(paymentsOf(customerWithPasskey.email)).toEqual([{ amount: 125_000, sca: "STEP_UP_SPC" }]);
  });
});

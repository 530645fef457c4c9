/**
 * Risk-aware step-up in the browser (lib/risk, docs/risk.md): the device cookie a passkey proved
 * makes a browser known, and a browser that isn't is asked, with the reason on the step-up page.
 */
import { addPayee, fillTransfer, sendTransfer, settleCustomer, TRANSFER_PAGE } from "./support/bank";
import type { Page } from "@playwright/test";
import { confirmStepUp, expect, signIn, test, type Credentials } from "./fixtures";

const IBAN = "GB82 WEST 1234 5698 7654 32";

/**
 * A customer whose passkey was enrolled in this browser (which makes it a known device), with a payee
 * "ACME Ltd" paid $20.00 once (a new payee is always asked for), their set-up then moved two days back
 * (no longer a recent security change).
 */
async function knownBrowserWithPaidPayee(page: Page, user: Credentials) {
  await addPayee(page, "ACME Ltd", IBAN);
  await fillTransfer(page, "ACME Ltd", "20.00");
  await sendTransfer(page);
  await confirmStepUp(page);
  await expect(page).toHaveURL(TRANSFER_PAGE);
  settleCustomer(user.email);
}

test("a new browser is asked for a passkey where the known one wasn't, and the step-up page says why", async ({
  page,
  browser,
  customerWithPasskey,
}) => {
  await knownBrowserWithPaidPayee(page, customerWithPasskey);
  const deviceCookie = (await page.context().cookies()).find((c) => c.name === "vault-device");
  expect(deviceCookie?.httpOnly, "the device cookie is HttpOnly").toBe(true);

  // The known browser: a small payment to a payee paid before goes through without a prompt.
  await fillTransfer(page, "ACME Ltd", "25.00");
  await sendTransfer(page);
  await expect(page).toHaveURL(TRANSFER_PAGE);

  // Another browser (no device cookie), the same customer, the same payment: asked, and told why.
  const other = await browser.newContext();
  try {
    const elsewhere = await other.newPage();
    await signIn(elsewhere, customerWithPasskey);
    await expect(elsewhere).toHaveURL(/\/dashboard$/);
    await fillTransfer(elsewhere, "ACME Ltd", "25.00");
    await sendTransfer(elsewhere);
    await expect(elsewhere).toHaveURL(/\/step-up\//);
    await expect(elsewhere.getByTestId("step-up-title")).toHaveText("Send $25.00 to ACME Ltd");
    await expect(elsewhere.getByTestId("step-up-why")).toContainText(
      "You're on a device you haven't confirmed with a passkey before.",
    );
  } finally {
    await other.close();
  }
});

test("forgetting this device in the security centre makes its next payment ask again; renaming checks the name", async ({
  page,
  customerWithPasskey,
}) => {
  await knownBrowserWithPaidPayee(page, customerWithPasskey);

  await page.goto("/settings/security");
  const row = page.getByTestId("device-row");
  await expect(row).toHaveCount(1);
  await expect(row).toContainText("This device");
  // A blank name is refused with a message, and nothing changes.
  const name = (await row.getByTestId("device-name").innerText()).replace("This device", "").trim();
  await row.getByRole("button", { name: /^Rename/ }).click();
  await row.getByLabel("New name").fill("   ");
  await row.getByRole("button", { name: "Save" }).click();
  await expect(row.getByRole("alert")).toHaveText("Give the device a name.");
  await expect(row.getByTestId("device-name")).toContainText(name);
  await row.getByRole("button", { name: /^Rename/ }).click();
  await row.getByLabel("New name").fill("Home laptop");
  await row.getByRole("button", { name: "Save" }).click();
  await expect(row.getByTestId("device-name")).toContainText("Home laptop");

  await row.getByRole("button", { name: "Forget Home laptop" }).click();
  await expect(page.getByTestId("no-devices")).toBeVisible();
  await expect(page.getByText("Device forgotten. Its next sensitive action asks for your passkey.")).toBeVisible();

  // The same browser, the same small payment that a known device would send: now asked, and told why.
  await fillTransfer(page, "ACME Ltd", "25.00");
  await sendTransfer(page);
  await expect(page).toHaveURL(/\/step-up\//);
  await expect(page.getByTestId("step-up-why")).toContainText(
    "You're on a device you haven't confirmed with a passkey before.",
  );
  // Confirming here makes it known again.
  await confirmStepUp(page);
  await expect(page).toHaveURL(TRANSFER_PAGE);
  await page.goto("/settings/security");
  await expect(page.getByTestId("device-row")).toHaveCount(1);
});

import { confirmStepUp, expect, test } from "./fixtures";
import { addPayee, fillTransfer, sendTransfer, userId } from "./support/bank";
import { queryE2eDb, writeE2eDb } from "./support/e2e-db";

/**
 * A browser without Secure Payment Confirmation (Debian's Chromium as shipped: this file runs in the
 * `chromium` project, without --enable-features=SecurePaymentConfirmationBrowser). Even for a customer
 * whose passkey can sign in the payment dialog, the step-up page asks the browser, finds no dialog,
 * and confirms with WebAuthn exactly as before.
 */
test("a browser without the payment dialog confirms a payment with the passkey, as before", async ({
  page,
  customerWithPasskey,
}) => {
  // The browser has no dialog, so the passkey was made without the extension; mark it as if another browser had made it with one.
  expect(
    queryE2eDb<{ payment: number }>(
      `SELECT payment FROM "Passkey" WHERE userId = ?`,
      userId(customerWithPasskey.email),
    ),
  ).toEqual([{ payment: 0 }]);
  writeE2eDb(`UPDATE "Passkey" SET payment = 1 WHERE userId = ?`, userId(customerWithPasskey.email));
  await addPayee(page, "ACME Ltd", "GB82 WEST 1234 5698 7654 32");

  await fillTransfer(page, "ACME Ltd", "1250.00");
  await sendTransfer(page);
  await expect(page.getByTestId("step-up-title")).toHaveText("Send $1,250.00 to ACME Ltd");
  expect(
    await page.evaluate(() =>
      (
        PaymentRequest as unknown as { securePaymentConfirmationAvailability(): Promise<string> }
      ).securePaymentConfirmationAvailability(),
    ),
  ).toBe("unavailable-feature-not-enabled");
  await expect(page.getByTestId("step-up-spc-hint")).toHaveCount(0);
  await confirmStepUp(page);
  await expect(page.getByTestId("receipt-confirmed")).toHaveText("Confirmed with your passkey");
  expect(
    queryE2eDb<{ sca: string }>(
      `SELECT sca FROM "Transfer" WHERE userId = ? AND payeeId IS NOT NULL`,
      userId(customerWithPasskey.email),
    ),
  ).toEqual([{ sca: "STEP_UP" }]);
  // And the security centre offers no upgrade this browser couldn't use.
  writeE2eDb(`UPDATE "Passkey" SET payment = 0 WHERE userId = ?`, userId(customerWithPasskey.email));
  await page.goto("/settings/security");
  await expect(page.getByTestId("passkey-name")).toBeVisible();
  await expect(page.getByTestId("passkey-upgrade")).toHaveCount(0);
});

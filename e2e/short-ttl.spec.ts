/**
 * Runs against the second e2e server, whose pending intents live 3 seconds (STEP_UP_INTENT_TTL_S=3),
 * so expiry is real: the server's clock, the server's rule.
 */
import { expect, test } from "./fixtures";

test("an expired intent can't be confirmed, and nothing moves", async ({ page, customerWithPasskey: _customer }) => {
  await page.goto("/payees");
  await page.getByLabel("Payee name").fill("Too Slow Ltd");
  await page.getByLabel("IBAN", { exact: true }).fill("GB82 WEST 1234 5698 7654 32");
  await page.getByRole("button", { name: "Add payee" }).click();
  await expect(page.getByTestId("step-up-title")).toHaveText("Add Too Slow Ltd as a payee");
  await expect(page.getByTestId("step-up-countdown")).toHaveText(/Expires in 0:0[0-3]/);

  // The page counts down and then says so, with a way back.
  await expect(page.getByTestId("step-up-expired")).toContainText("This confirmation expired");
  await expect(page.getByRole("button", { name: "Confirm with passkey" })).toHaveCount(0);
  // The server agrees on a fresh load: the intent is expired, and Confirm is gone.
  await page.reload();
  await expect(page.getByTestId("step-up-status")).toContainText("This confirmation expired");
  await page.getByRole("link", { name: "Start again" }).click();
  await expect(page).toHaveURL(/\/payees$/);
  await expect(page.getByTestId("payee-row")).toHaveCount(0);
});

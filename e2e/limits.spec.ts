/**
 * The daily payment limit: the operation added by following "Protecting a new action". Raising it
 * needs a passkey bound to the new amount (policy "limit.raise"); lowering it needs none
 * ("limit.lower"); and a payment past it is refused before any passkey is asked for.
 */
import { addPayee, fillTransfer, userId, reviewTransfer } from "./support/bank";
import { queryE2eDb } from "./support/e2e-db";
import { confirmStepUp, expect, test } from "./fixtures";

const limitOf = (email: string) =>
  Number(
    queryE2eDb<{ dailyLimitMinor: number }>(`SELECT dailyLimitMinor FROM "User" WHERE id = ?`, userId(email))[0]
      .dailyLimitMinor,
  );

test("lowering the daily limit needs no passkey; raising it shows the new amount and needs one; a payment past it is refused first", async ({
  page,
  customerWithPasskey,
}) => {
  await addPayee(page, "ACME Ltd", "GB82 WEST 1234 5698 7654 32");

  await page.goto("/settings/limits");
  await expect(page.getByTestId("limit-current")).toContainText("$5,000.00");
  await page.getByLabel("New daily limit (USD)").fill("50.00");
  await page.getByRole("button", { name: "Save daily limit" }).click();
  await expect(page.getByText("Daily limit changed.").first()).toBeVisible();
  await expect(page).toHaveURL(/\/settings\/limits$/); // no step-up page on the way
  expect(limitOf(customerWithPasskey.email)).toBe(5_000);

  // A payment past the limit is refused on the form: no passkey is asked for.
  await page.goto("/transfers/new");
  await fillTransfer(page, "ACME Ltd", "60.00");
  await reviewTransfer(page);
  await expect(page.locator("#amount-error")).toContainText("over your daily limit of $50.00");
  await expect(page).toHaveURL(/\/transfers\/new$/);

  // Raising it: the step-up page says exactly what the passkey signs, then the change resumes.
  await page.goto("/settings/limits");
  await page.getByLabel("New daily limit (USD)").fill("7500");
  await page.getByRole("button", { name: "Save daily limit" }).click();
  await expect(page).toHaveURL(/\/step-up\//);
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Change your daily payment limit to $7,500.00");
  await expect(page.getByText("$50.00", { exact: true })).toBeVisible();
  expect(limitOf(customerWithPasskey.email)).toBe(5_000);
  await confirmStepUp(page);
  await expect(page).toHaveURL(/\/settings\/limits\?saved=1$/);
  await expect(page.getByTestId("limit-current")).toContainText("$7,500.00");
  expect(limitOf(customerWithPasskey.email)).toBe(750_000);
});

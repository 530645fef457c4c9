/**
 * The step-up page before and after the passkey: a payment that can't go through never asks for it;
 * one that fails after it (the balance changed meanwhile) says the real reason; a used, stale or
 * foreign confirmation shows where things stand instead of inviting a second payment.
 */
import type { Page } from "@playwright/test";
import { accountsOf, addPayee, fillTransfer, userId, sendTransfer, reviewTransfer } from "./support/bank";
import { queryE2eDb } from "./support/e2e-db";
import { confirmStepUp, expect, test } from "./fixtures";

const IBAN = "GB82 WEST 1234 5698 7654 32";
const intentsOf = (email: string) =>
  queryE2eDb<{ id: string; status: string }>(
    `SELECT id, status FROM "StepUpIntent" WHERE userId = ? AND action = 'transfer.payee'`,
    userId(email),
  );

async function payAcme(page: Page, amount: string, { refused = false } = {}) {
  await fillTransfer(page, "ACME Ltd", amount);
  if (refused) await reviewTransfer(page);
  else await sendTransfer(page);
}

test("a payment larger than the balance is refused on the form: no passkey is asked for, no intent is stored", async ({
  page,
  customerWithPasskey,
}) => {
  await addPayee(page, "ACME Ltd", IBAN);
  await payAcme(page, "2600.00", { refused: true });
  await expect(page.locator("#amount-error")).toHaveText("There isn't enough money in that account.");
  await expect(page).toHaveURL(/\/transfers\/new$/);
  expect(intentsOf(customerWithPasskey.email)).toEqual([]);
});

test("the balance changing after the step-up page opened: the real reason, and the intent ended", async ({
  page,
  customerWithPasskey,
}) => {
  await addPayee(page, "ACME Ltd", IBAN);
  await payAcme(page, "2000.00");
  await expect(page).toHaveURL(/\/step-up\//);
  const stepUpUrl = page.url();
  // Meanwhile, in another tab, most of the money moves to savings (no passkey needed for that).
  const other = await page.context().newPage();
  await fillTransfer(other, "Savings", "1000.00");
  await sendTransfer(other);
  await expect(other).toHaveURL(/\/transfers\/(?!new)/);
  await other.close();

  await page.bringToFront();
  await page.getByRole("button", { name: "Confirm with passkey" }).click();
  // The page shows the real reason, and keeps showing it: after a reload too (no "already confirmed").
  const reason = "You confirmed, but it couldn't go ahead: There isn't enough money in that account.";
  await expect(page.getByTestId("step-up-status")).toContainText(reason);
  await page.goto(stepUpUrl);
  await expect(page.getByTestId("step-up-status")).toContainText(reason);
  expect(intentsOf(customerWithPasskey.email).map((i) => i.status)).toEqual(["CANCELLED"]);
  expect(accountsOf(customerWithPasskey.email)[0].balance).toBe(150_000);
});

test("a used confirmation links to the receipt; a stale tab stops offering the button; a foreign one explains", async ({
  page,
  customerWithPasskey: _customer,
}) => {
  await addPayee(page, "ACME Ltd", IBAN);
  await payAcme(page, "1250.00");
  await expect(page).toHaveURL(/\/step-up\//);
  const stepUpUrl = page.url();
  const stale = await page.context().newPage();
  await stale.goto(stepUpUrl);
  await expect(stale.getByRole("button", { name: "Confirm with passkey" })).toBeEnabled();

  await page.bringToFront();
  await confirmStepUp(page);
  const receipt = page.url();
  expect(receipt).toMatch(/\/transfers\/(?!new)/);

  // Back in the stale tab: focusing it asks the server again, and the button is gone.
  await stale.bringToFront();
  await stale.evaluate(() => window.dispatchEvent(new Event("focus")));
  await expect(stale.getByTestId("step-up-status")).toContainText("Done. Payment sent.");
  await expect(stale.getByRole("button", { name: "Confirm with passkey" })).toHaveCount(0);
  await stale.getByRole("link", { name: "View receipt" }).click();
  await expect(stale).toHaveURL(receipt);

  // An id that isn't this sign-in's: Vault's own page, with a 404 status.
  const response = await page.goto("/step-up/not-this-sign-ins-intent-0000");
  expect(response?.status()).toBe(404);
  await expect(page.getByTestId("step-up-not-here")).toContainText("This confirmation isn't here");
});

/**
 * Keyboard only: sign in, move money to a payee, and confirm the step-up with the passkey, using
 * nothing but Tab, typing, arrow keys and Enter. Each control is reached by tabbing from where focus
 * is, so a control that can't be reached, or a focus trap, fails the test. (The setup before it, a
 * customer with a passkey and a saved payee, uses the usual helpers.)
 */
import type { Locator, Page } from "@playwright/test";
import { addPayee, TRANSFER_PAGE } from "./support/bank";
import { blockPasskeyAutofill, expect, test } from "./fixtures";

/** Presses Tab until `target` has focus; fails if it takes more than `limit` presses. */
async function tabTo(page: Page, target: Locator, limit = 40) {
  for (let presses = 0; presses < limit; presses++) {
    if (await target.evaluate((el) => el === document.activeElement)) return;
    await page.keyboard.press("Tab");
  }
  throw new Error(`Tab never reached ${target}`);
}

test("sign-in, a transfer and its step-up, with the keyboard alone", async ({ page, customerWithPasskey }) => {
  await addPayee(page, "ACME Ltd", "GB82 WEST 1234 5698 7654 32");
  await blockPasskeyAutofill(page);
  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await expect(page).toHaveURL(/\/login/);

  // Sign in.
  await page.goto("/login");
  await tabTo(page, page.getByLabel("Email"));
  await page.keyboard.type(customerWithPasskey.email);
  await tabTo(page, page.getByLabel("Password"));
  await page.keyboard.type(customerWithPasskey.password);
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/dashboard$/);

  // To the transfer form by the main navigation.
  await tabTo(page, page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Move money" }));
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/transfers\/new$/);

  // Choose the payee with the arrow keys, type the amount, continue with Enter.
  const to = page.getByLabel("To");
  await tabTo(page, to);
  const payee = await to.locator("option", { hasText: "ACME Ltd" }).getAttribute("value");
  for (let i = 0; i < 10 && (await to.inputValue()) !== payee; i++) await page.keyboard.press("ArrowDown");
  await expect(to).toHaveValue(payee!);
  await tabTo(page, page.getByLabel("Amount (USD)"));
  await page.keyboard.type("1250.00");
  await page.keyboard.press("Enter");

  // The review says what will happen, and takes the focus; send from the keyboard.
  await expect(page.getByTestId("transfer-review-details")).toContainText("$1,250.00");
  await expect(page.getByRole("heading", { name: "Send $1,250.00 to ACME Ltd" })).toBeFocused();
  await tabTo(page, page.getByRole("button", { name: "Send money" }));
  await page.keyboard.press("Enter");

  // The step-up page says what is being authorised; confirm with the passkey from the keyboard.
  await expect(page).toHaveURL(/\/step-up\//);
  await expect(page.getByTestId("step-up-details")).toContainText("$1,250.00");
  await tabTo(page, page.getByRole("button", { name: "Confirm with passkey" }));
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(TRANSFER_PAGE);
  await expect(page.getByText("$1,250.00").first()).toBeVisible();
});

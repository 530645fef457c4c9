/**
 * The README's screenshots (public/screenshots/*.png): the dashboard, the transfer form, the step-up
 * page, the receipt and the security centre at 1280 px in light mode, the step-up page on a 390 px
 * phone in dark mode, and the dashboard with its tab bar on a 390 px phone. A demo customer enrols a passkey with the virtual authenticator first, as in the e2e suite.
 */
import path from "node:path";
import type { Page } from "@playwright/test";
import { addPayee, reviewTransfer } from "../support/bank";
import { blockPasskeyAutofill, confirmStepUp, DEMO, enrolFirstPasskey, expect, signIn, test } from "../fixtures";

const OUT = path.resolve(import.meta.dirname, "../../public/screenshots");

/** Full page, with the pointer moved off the page first (no hover styles in the pictures). */
async function shoot(page: Page, name: string) {
  await page.mouse.move(0, 0);
  await page.screenshot({ path: path.join(OUT, `${name}.png`), fullPage: true, animations: "disabled" });
}

test("README screenshots", async ({ page, authenticator }) => {
  void authenticator;
  await blockPasskeyAutofill(page);
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.emulateMedia({ colorScheme: "light" });
  await signIn(page, DEMO.alice);
  await expect(page).toHaveURL(/\/dashboard$/);
  await shoot(page, "dashboard");

  await enrolFirstPasskey(page, DEMO.alice, "MacBook Touch ID");
  await addPayee(page, "Northwind Traders", "DE89 3704 0044 0532 0130 00");
  await page.goto("/settings/security");
  await shoot(page, "security-centre");

  await page.goto("/transfers/new");
  const to = page.getByLabel("To");
  await to.selectOption((await to.locator("option", { hasText: "Northwind Traders" }).getAttribute("value"))!);
  await page.getByLabel("Amount (USD)").fill("1250.00");
  await page.getByLabel("Memo (optional)").fill("Invoice 2026-114");
  await shoot(page, "transfer-form");

  await reviewTransfer(page);
  await expect(page.getByTestId("transfer-review")).toBeVisible();
  await shoot(page, "transfer-review");

  await page.getByRole("button", { name: "Send money" }).click();
  await expect(page).toHaveURL(/\/step-up\//);
  await expect(page.getByRole("button", { name: "Confirm with passkey" })).toBeEnabled();
  await shoot(page, "step-up");

  await page.setViewportSize({ width: 390, height: 844 });
  await page.emulateMedia({ colorScheme: "dark" });
  await page.reload();
  await expect(page.getByRole("button", { name: "Confirm with passkey" })).toBeEnabled();
  await shoot(page, "step-up-phone-dark");

  await page.setViewportSize({ width: 1280, height: 800 });
  await page.emulateMedia({ colorScheme: "light" });
  await page.reload();
  await confirmStepUp(page);
  await expect(page.getByTestId("receipt-success")).toBeVisible();
  await page.getByTestId("toast").getByRole("button", { name: "Dismiss" }).click();
  await shoot(page, "receipt");

  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto("/dashboard");
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Accounts" })).toHaveAttribute(
    "aria-current",
    "page",
  );
  await page.screenshot({ path: path.join(OUT, "phone-navigation.png"), animations: "disabled" }); // the screen as seen, tab bar at the bottom
});

/**
 * Issue 20's everyday screens: the phone navigation, long content on a phone, the receipt, a payee's
 * Pay button, and what a sign-in error keeps. Each test makes its own customer (or uses the seeded
 * demo customer read-only), so tests are independent and parallel-safe.
 */
import type { Page } from "@playwright/test";
import { accountsOf, fillTransfer, TRANSFER_PAGE, sendTransfer, reviewTransfer } from "./support/bank";
import { DEMO, expect, test } from "./fixtures";

/** The page is no wider than the screen: nothing scrolls sideways. */
async function expectNoSidewaysScroll(page: Page, what: string) {
  const { scroll, client } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    client: document.documentElement.clientWidth,
  }));
  expect(scroll, `${what}: page width ${scroll} px on a ${client} px screen`).toBeLessThanOrEqual(client);
}

test.describe("on a 360 px phone", () => {
  test.use({ viewport: { width: 360, height: 740 } });

  test("the tab bar reaches every page, marks the current one, and nothing is cut off", async ({
    page,
    signedInCustomer: _signedIn,
  }) => {
    const nav = page.getByRole("navigation", { name: "Main" });
    const pages: [name: string, url: RegExp][] = [
      ["Move money", /\/transfers\/new$/],
      ["Payees", /\/payees$/],
      ["Activity log", /\/activity$/],
      ["Payout", /\/settings\/payout$/],
      ["Security", /\/settings\/security$/],
      ["Accounts", /\/dashboard$/],
    ];
    for (const [name, url] of pages) {
      const link = nav.getByRole("link", { name, exact: true });
      await expect(link, name).toBeInViewport({ ratio: 1 });
      await link.click();
      await expect(page).toHaveURL(url);
      await expect(nav.getByRole("link", { name, exact: true })).toHaveAttribute("aria-current", "page");
      await expect(nav.locator('[aria-current="page"]')).toHaveCount(1);
      await expectNoSidewaysScroll(page, name);
    }
    // The bar doesn't cover the end of the page: the footer's theme switch can still be reached.
    await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
    const bar = await nav.boundingBox();
    const footer = await page.locator("footer").boundingBox();
    expect(footer!.y + footer!.height).toBeLessThanOrEqual(bar!.y + 1);
  });

  test("a long unbroken memo wraps on every page that shows it", async ({ page, signedInCustomer }) => {
    const memo = "A".repeat(140);
    await fillTransfer(page, "Savings", "3.21", memo);
    await sendTransfer(page);
    await expect(page).toHaveURL(TRANSFER_PAGE);
    const receipt = new URL(page.url()).pathname;
    const [checking, savings] = accountsOf(signedInCustomer.email);
    for (const path of [receipt, "/dashboard", `/accounts/${checking.id}`, `/accounts/${savings.id}`, "/activity"]) {
      await page.goto(path);
      await expectNoSidewaysScroll(page, path);
    }
  });

  test("the masked account number never wraps", async ({ page, signedInCustomer: _signedIn }) => {
    const masked = page
      .getByTestId("account-card")
      .first()
      .getByText(/^•••• \d{4}$/);
    const box = await masked.boundingBox();
    const lineHeight = await masked.evaluate((el) => parseFloat(getComputedStyle(el).lineHeight));
    expect(box!.height).toBeLessThanOrEqual(lineHeight + 1);
  });
});

test("the review before a payment: exactly what will happen and the balance after, nothing sent until Send; Edit keeps what was typed", async ({
  page,
  signedInCustomer,
}) => {
  const transfersOf = () => accountsOf(signedInCustomer.email).map((a) => a.balance);
  const before = transfersOf();
  await fillTransfer(page, "Savings", "125.50", "Holiday fund");
  await reviewTransfer(page);
  const review = page.getByTestId("transfer-review");
  await expect(review.getByRole("heading", { name: "Send $125.50 to Savings" })).toBeFocused();
  const details = page.getByTestId("transfer-review-details");
  await expect(details).toContainText("Amount$125.50");
  await expect(details).toContainText(/FromEveryday Checking \(•••• \d{4}\)/);
  await expect(details).toContainText(/ToSavings \(•••• \d{4}\)/);
  await expect(details).toContainText("MemoHoliday fund");
  await expect(details).toContainText("Everyday Checking balance after$2,374.50");
  expect(transfersOf(), "the review writes nothing").toEqual(before);

  // Edit: back to the form with everything as typed; change the amount and review again.
  await page.getByRole("button", { name: "Edit" }).click();
  await expect(page.getByLabel("Amount (USD)")).toHaveValue("125.50");
  await expect(page.getByLabel("Memo (optional)")).toHaveValue("Holiday fund");
  await page.getByLabel("Amount (USD)").fill("100.00");
  await reviewTransfer(page);
  await expect(details).toContainText("Everyday Checking balance after$2,400.00");
  await page.getByRole("button", { name: "Send money" }).click();
  await expect(page).toHaveURL(TRANSFER_PAGE);
  await expect(page.getByTestId("transfer-amount")).toHaveText("$100.00");
  expect(transfersOf()).toEqual([before[0] - 10_000, before[1] + 10_000]);
});

test("the receipt: a check mark, what was sent to whom, the balance after it and the reference, ready to print or share", async ({
  page,
  signedInCustomer: _signedIn,
}) => {
  await fillTransfer(page, "Savings", "125.50", "Holiday fund");
  await sendTransfer(page);
  await expect(page).toHaveURL(TRANSFER_PAGE);
  const success = page.getByTestId("receipt-success");
  await expect(success.getByRole("heading")).toHaveText("You moved $125.50 to Savings");
  await expect(page.getByTestId("receipt-balance")).toHaveText("Everyday Checking balance after it: $2,374.50");
  await expect(success).toContainText(/Reference VLT-[2-9A-Z]{4}-[2-9A-Z]{4}/);
  await expect(page.getByRole("button", { name: "Print receipt" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Share receipt" })).toBeVisible();
  // Printed, only the receipt is left: no navigation, no buttons.
  await page.emulateMedia({ media: "print" });
  await expect(page.getByRole("navigation", { name: "Main" })).toBeHidden();
  await expect(page.getByRole("button", { name: "Print receipt" })).toBeHidden();
  await expect(success).toBeVisible();
});

test("the dashboard signs its amounts: a payment out is negative", async ({ page }) => {
  await page.goto("/login");
  await page.getByLabel("Email").fill(DEMO.bob.email);
  await page.getByLabel("Password").fill(DEMO.bob.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  const groceries = page
    .getByTestId("activity-feed")
    .getByRole("link")
    .filter({ hasText: "Groceries via ACME" })
    .first();
  await expect(groceries.getByTestId("signed-amount")).toContainText(/^−\$\d+\.\d\d/);
  await expect(groceries.getByTestId("signed-amount")).toContainText("paid out");
});

test("Pay on a payee opens the transfer form with that payee chosen", async ({ page }) => {
  await page.goto("/login");
  await page.getByLabel("Email").fill(DEMO.bob.email);
  await page.getByLabel("Password").fill(DEMO.bob.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await page.goto("/payees");
  await page.getByRole("link", { name: "Pay City Power & Light" }).click();
  await expect(page).toHaveURL(/\/transfers\/new\?to=payee%3A|\/transfers\/new\?to=payee:/);
  await expect(page.getByLabel("To").locator("option:checked")).toContainText("City Power & Light");
  // A forged or someone else's id preselects nothing.
  await page.goto("/transfers/new?to=payee:not-mine");
  await expect(page.getByLabel("To")).toHaveValue("");
});

test("a sign-in error keeps the typed email", async ({ page }) => {
  await page.goto("/login");
  await page.getByLabel("Email").fill("someone@example.com");
  await page.getByLabel("Password").fill("not the right password at all");
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByTestId("form-alert")).toBeVisible();
  await expect(page.getByLabel("Email")).toHaveValue("someone@example.com");
  // And again, with the same email: still there.
  await page.getByLabel("Password").fill("another wrong password, long");
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByTestId("form-alert")).toBeVisible();
  await expect(page.getByLabel("Email")).toHaveValue("someone@example.com");
});

test("an empty payee form flags every field at once", async ({ page, signedInCustomer: _signedIn }) => {
  await page.goto("/payees");
  await page.getByRole("button", { name: "Add payee" }).click();
  await expect(page.locator("#name-error")).toBeVisible();
  await expect(page.locator("#iban-error")).toHaveText("Enter the IBAN.");
});

test("an empty transfer form flags every field at once", async ({ page, signedInCustomer: _signedIn }) => {
  await page.goto("/transfers/new");
  await reviewTransfer(page);
  await expect(page.locator("#to-error")).toBeVisible();
  await expect(page.locator("#amount-error")).toBeVisible();
});

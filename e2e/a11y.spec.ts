/**
 * Accessibility: axe-core (WCAG 2.2 A and AA rules) on every page, including the step-up page and
 * error states, at a 390 px phone and a 1280 px desktop, in light and dark colour schemes. Any
 * serious or critical violation fails the test, naming the rule and the elements.
 */
import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { addPayee, accountsOf, fillTransfer, TRANSFER_PAGE, sendTransfer, reviewTransfer } from "./support/bank";
import { blockPasskeyAutofill, enrolFirstPasskey, expect, signIn, test } from "./fixtures";
import { freezeLinkOf, waitForMail } from "./support/mailbox";

const WIDTHS = [390, 1280] as const;
const SCHEMES = ["light", "dark"] as const;

/**
 * axe on the page as it is, in each colour scheme in turn. The scheme is switched in place (the app
 * follows prefers-color-scheme live, and animates no colour), so a state reached by a form post is
 * checked in both without reaching it twice.
 */
async function expectAccessible(page: Page, what: string) {
  for (const colorScheme of SCHEMES) {
    await page.emulateMedia({ colorScheme });
    await expectAccessibleNow(page, `${what} (${colorScheme})`);
  }
}

async function expectAccessibleNow(page: Page, what: string) {
  const { violations } = await new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"])
    .analyze();
  const blocking = violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  const report = blocking.map(
    (v) =>
      `${v.id} (${v.impact}): ${v.help}\n${v.nodes
        .map((n) => `    ${n.target.join(" ")}: ${n.failureSummary?.split("\n")[1]?.trim() ?? ""}`)
        .slice(0, 5)
        .join("\n")}`,
  );
  expect(report, `${what} at ${page.viewportSize()?.width} px`).toEqual([]);
}

for (const width of WIDTHS) {
  test.describe(`${width} px, light and dark`, () => {
    test.beforeEach(async ({ page }) => {
      await page.setViewportSize({ width, height: 900 });
    });

    test("signed-out pages and a sign-in error", async ({ page }) => {
      for (const path of ["/", "/login", "/signup", "/login/recover", `/freeze/${"A".repeat(43)}`]) {
        await page.goto(path);
        await expectAccessible(page, path);
      }
      await page.goto("/login");
      await page.getByLabel("Email").fill("nobody@example.com");
      await page.getByLabel("Password").fill("not the right password at all");
      await page.getByRole("button", { name: "Sign in", exact: true }).click();
      await expect(page.getByTestId("form-alert")).toBeVisible();
      await expectAccessible(page, "/login with an error");
    });

    test("signed-in pages, the step-up page and a form error", async ({ page, signedInCustomer, authenticator }) => {
      test.setTimeout(180_000); // both schemes on every state: about 40 s alone, over 90 s beside a second suite
      await enrolFirstPasskey(page, authenticator, signedInCustomer);
      const [checking] = accountsOf(signedInCustomer.email);
      // A receipt: a small transfer between the customer's own accounts needs no step-up.
      await fillTransfer(page, "Savings", "5.00");
      await sendTransfer(page);
      await expect(page).toHaveURL(TRANSFER_PAGE);
      const receipt = new URL(page.url()).pathname;
      for (const path of [
        "/dashboard",
        `/accounts/${checking.id}`,
        "/transfers/new",
        receipt,
        "/payees",
        "/activity",
        "/settings/security",
        "/settings/payout",
      ]) {
        await page.goto(path);
        await expectAccessible(page, path);
      }
      // The step-up page, for a new payee (left pending).
      await addPayee(page, "ACME Ltd", "GB82 WEST 1234 5698 7654 32", { confirm: false });
      await expect(page).toHaveURL(/\/step-up\//);
      await expectAccessible(page, "the step-up page");
      // The review before a payment.
      await fillTransfer(page, "Savings", "5.00");
      await reviewTransfer(page);
      await expect(page.getByTestId("transfer-review")).toBeVisible();
      await expectAccessible(page, "the review before a payment");
      // A field error on the transfer form.
      await fillTransfer(page, "Savings", "12.345");
      await reviewTransfer(page);
      await expect(page.getByTestId("form-alert")).toBeVisible();
      await expectAccessible(page, "/transfers/new with a field error");
      // "This wasn't me", from the passkey's email: the confirmation, then the frozen account.
      await page.goto(freezeLinkOf(await waitForMail(signedInCustomer.email, /A passkey was added/)));
      await expectAccessible(page, "the freeze page");
      await page.getByRole("button", { name: "Yes, freeze my account" }).click();
      await expect(page.getByTestId("account-frozen-now")).toBeVisible();
      await expectAccessible(page, "the freeze page, frozen");
      await blockPasskeyAutofill(page); // else the login page's autofill signs straight back in with the passkey
      await signIn(page, signedInCustomer);
      await expect(page).toHaveURL(/\/dashboard$/);
      await page.goto("/settings/security");
      await expect(page.getByTestId("freeze-card")).toBeVisible();
      await expectAccessible(page, "the security centre of a frozen account");
    });
  });
}

test("the colour scheme follows the system until the customer picks one, which is rendered with the page (no flash)", async ({
  page,
}) => {
  await page.emulateMedia({ colorScheme: "dark" });
  await page.goto("/login");
  const html = page.locator("html");
  await expect(html).not.toHaveAttribute("data-theme");
  const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  const systemDark = await background();
  await page.getByRole("button", { name: "Light", exact: true }).click();
  await expect(html).toHaveAttribute("data-theme", "light");
  await expect(page.getByRole("button", { name: "Light", exact: true })).toHaveAttribute("aria-pressed", "true");
  expect(await background()).not.toBe(systemDark);
  // The choice is in the server-rendered HTML itself, before any script runs.
  const served = await (await page.request.get("/login")).text();
  expect(served).toMatch(/<html[^>]*data-theme="light"/);
  await page.getByRole("button", { name: "System", exact: true }).click();
  await expect(html).not.toHaveAttribute("data-theme");
  expect(await background()).toBe(systemDark);
});

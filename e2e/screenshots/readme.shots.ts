/**
 * The README's screenshots (public/screenshots/*.png): the dashboard, the transfer form, the step-up
 * page, the receipt and the security centre at 1280 px in light mode, the step-up page on a 390 px
 * phone in dark mode, the dashboard with its tab bar on a 390 px phone, a security email as a mail
 * client shows it, and the security centre of a frozen account. A demo customer enrols a passkey with the virtual authenticator first, as in the e2e suite.
 */
import path from "node:path";
import type { Page } from "@playwright/test";
import { addPayee, reviewTransfer, settleCustomer } from "../support/bank";
import { freezeLinkOf, waitForMail } from "../support/mailbox";
import { blockPasskeyAutofill, confirmStepUp, DEMO, enrolFirstPasskey, expect, signIn, test } from "../fixtures";

const OUT = path.resolve(import.meta.dirname, "../../public/screenshots");

/** Full page, with the pointer moved off the page first (no hover styles in the pictures). */
async function shoot(page: Page, name: string) {
  await page.mouse.move(0, 0);
  await page.screenshot({ path: path.join(OUT, `${name}.png`), fullPage: true, animations: "disabled" });
}

test("README screenshots", async ({ page, authenticator }) => {
  await blockPasskeyAutofill(page);
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.emulateMedia({ colorScheme: "light" });
  await signIn(page, DEMO.alice);
  await expect(page).toHaveURL(/\/dashboard$/);
  await shoot(page, "dashboard");

  await enrolFirstPasskey(page, authenticator, DEMO.alice, "MacBook Touch ID");
  await addPayee(page, "Northwind Traders", "DE89 3704 0044 0532 0130 00");
  // A customer of some standing: the passkey and the payee aren't from the last 24 hours, so the risk
  // signals (lib/risk) ask for the passkey without needing one older than a day.
  settleCustomer(DEMO.alice.email);
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

  // The "payee added" email as a mail client shows it (its HTML part, delivered over SMTP to the catcher).
  await page.setViewportSize({ width: 760, height: 560 });
  const mail = await waitForMail(DEMO.alice.email, /A payee was added/);
  const escape = (text: string) => text.replace(/[&<>]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;" })[c]!);
  await page.setContent(
    `<body style="margin:0;background:#f1f5f9;font:15px/1.5 system-ui,sans-serif;color:#0f172a">
      <div style="max-width:680px;margin:24px auto;background:#fff;border:1px solid #cbd5e1;border-radius:12px;padding:20px 24px">
        <p style="margin:0;color:#475569">From: ${escape(mail.from)}<br>To: ${escape(DEMO.alice.email)}</p>
        <h1 style="font-size:18px;margin:8px 0 12px">${escape(mail.subject)}</h1>
        <hr style="border:0;border-top:1px solid #e2e8f0">${mail.html}
      </div></body>`,
  );
  await page.screenshot({ path: path.join(OUT, "security-email.png"), fullPage: true, animations: "disabled" });

  // "This wasn't me": the link freezes the account; signed in again, the security centre says so.
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(freezeLinkOf(mail));
  await page.getByRole("button", { name: "Yes, freeze my account" }).click();
  await expect(page.getByTestId("account-frozen-now")).toBeVisible();
  await signIn(page, DEMO.alice);
  await expect(page).toHaveURL(/\/dashboard$/);
  await page.goto("/settings/security");
  await expect(page.getByTestId("freeze-card")).toBeVisible();
  await page.mouse.move(0, 0);
  await page.screenshot({ path: path.join(OUT, "account-frozen.png"), animations: "disabled" });
});

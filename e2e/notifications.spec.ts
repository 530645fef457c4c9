/**
 * Issue 22: security notifications over real SMTP (the worker inside `next start` delivers to the
 * suite's SMTP server, e2e/tools/smtp-catcher.ts), and "This wasn't me": the freeze link from a
 * message freezes the account, which then refuses payments and payees with a clear banner, ends the
 * other browser's session, can't be used twice, and is undone only by the documented path.
 */
import type { Browser, Locator, Page } from "@playwright/test";
import { addPayee, fillTransfer, sendTransfer, userId } from "./support/bank";
import { queryE2eDb, writeE2eDb } from "./support/e2e-db";
import { freezeLinkOf, mailTo, waitForMail, type Mail } from "./support/mailbox";
import { blockPasskeyAutofill, confirmStepUp, enrolFirstPasskey, expect, signIn, stepUpAsked, test } from "./fixtures";

const IBAN = "GB82 WEST 1234 5698 7654 32";

/** What every message must be: its facts, both parts, a freeze link, and never a full account number. */
function expectWellFormed(mail: Mail, line: RegExp) {
  expect(mail.from).toContain("security@vault.example");
  expect(mail.text).toMatch(line);
  expect(mail.text).toMatch(/^When: \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC$/m);
  expect(mail.text).toMatch(/^Device: \S.*$/m);
  // The e2e server trusts no proxy header, so it doesn't know the client's address (README "Client addresses").
  expect(mail.text).toMatch(/^Address: not known$/m);
  expect(mail.html).toContain("<table>");
  expect(mail.html).toContain("This wasn&#39;t me: freeze my account");
  freezeLinkOf(mail);
  for (const part of [mail.text, mail.html]) {
    expect(part).not.toContain("GB82WEST12345698765432");
    expect(part).not.toContain("1234 5698 7654");
    expect(part).not.toMatch(/\/api\/auth|callbackUrl|token=/);
  }
}

/** A second browser (its own cookies and device), signed in as `user`. */
async function secondBrowser(browser: Browser, user: { email: string; password: string }) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await blockPasskeyAutofill(page);
  await signIn(page, user);
  await expect(page).toHaveURL(/\/dashboard$/);
  return { context, page };
}

/** Confirms on the step-up page if the action asked for one (lib/assurance's grace window may not), then waits for `done`. */
async function confirmIfAsked(page: Page, done: Locator) {
  if (await stepUpAsked(page, done)) await confirmStepUp(page);
  await expect(done).toBeVisible();
}

async function changePassword(page: Page, from: string, to: string) {
  await page.goto("/settings/security");
  await page.getByLabel("Current password").fill(from);
  await page.getByLabel("New password").fill(to);
  await page.getByRole("button", { name: "Change password" }).click();
  await confirmIfAsked(page, page.getByText("Your password was changed.").first());
}

test.describe("security notifications", () => {
  test("every sensitive event emails its message, with the right facts, and shows in the security centre", async ({
    page,
    browser,
    signedInCustomer,
    authenticator,
  }) => {
    test.setTimeout(150_000);
    await blockPasskeyAutofill(page);
    const to = signedInCustomer.email;

    // Opening the account signed this browser in: a device never seen for this customer.
    expectWellFormed(await waitForMail(to, /New sign-in/), /signed in to your account \(with a password\)/);

    const codes = await enrolFirstPasskey(page, authenticator, signedInCustomer, "Work laptop");
    expectWellFormed(await waitForMail(to, /A passkey was added/), /A passkey named "Work laptop" was added/);

    await addPayee(page, "ACME Ltd", IBAN);
    expectWellFormed(await waitForMail(to, /A payee was added/), /A payee was added: ACME Ltd, IBAN ••• 5432\./);

    await fillTransfer(page, "ACME Ltd", "1250.00", "Invoice 7");
    await sendTransfer(page);
    await confirmStepUp(page);
    expectWellFormed(
      await waitForMail(to, /A large payment was sent/),
      /A payment of \$1,250\.00 was sent to ACME Ltd, from .*•••/,
    );

    await page.goto("/settings/payout");
    await page.getByLabel("Account holder").fill(signedInCustomer.name);
    await page.getByLabel("Domestic (routing or sort code)").check();
    await page.getByLabel("Routing number or sort code").fill("021000021");
    await page.getByLabel("Account number", { exact: true }).fill("123456789");
    await page.getByRole("button", { name: "Save payout destination" }).click();
    await confirmStepUp(page);
    const payout = await waitForMail(to, /payout account was changed/);
    expectWellFormed(payout, /Payouts now go to Acct ••• 6789\./);
    expect(payout.text).not.toContain("123456789");

    await page.goto("/settings/security#api");
    const form = page.getByTestId("api-create-form");
    await form.getByLabel("Token name").fill("Budget script");
    await form.getByRole("button", { name: "Create API token" }).click();
    await confirmIfAsked(page, page.getByTestId("api-token-created"));
    const token = await waitForMail(to, /An API token was created/);
    expectWellFormed(token, /An API token named "Budget script" was created\./);
    expect(token.text).not.toMatch(/vlt_pat_/);

    // Another browser signs in (a new device), then this one ends it.
    const other = await secondBrowser(browser, signedInCustomer);
    await expect.poll(async () => (await mailTo(to)).filter((m) => /New sign-in/.test(m.subject)).length).toBe(2);
    await page.goto("/settings/security");
    await page.getByRole("button", { name: "Sign out everywhere else" }).click();
    expectWellFormed(await waitForMail(to, /other sign-ins were ended/), /1 other sign-in was ended/);
    await other.context.close();

    const newPassword = "a brand new passphrase for erin";
    await changePassword(page, signedInCustomer.password, newPassword);
    expectWellFormed(await waitForMail(to, /password was changed/), /Your password was changed/);

    await page.goto("/settings/security");
    await page.getByRole("button", { name: /^Remove Work laptop/ }).click();
    await confirmIfAsked(page, page.getByTestId("no-passkeys"));
    expectWellFormed(await waitForMail(to, /passkey was removed/), /The passkey "Work laptop" was removed/);

    // A recovery-code sign-in, somewhere else: always told, with the hold it started.
    const recovering = await browser.newContext();
    const rpage = await recovering.newPage();
    await rpage.goto("/login/recover");
    await rpage.getByLabel("Email").fill(to);
    await rpage.getByLabel("Password").fill(newPassword);
    await rpage.getByLabel("Recovery code").fill(codes[0]);
    await rpage.getByRole("button", { name: "Sign in with recovery code" }).click();
    await expect(rpage).not.toHaveURL(/\/login/);
    await recovering.close();
    expectWellFormed(
      await waitForMail(to, /recovery code was used/),
      /signed in with your password and a recovery code\. .* on hold until \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC\./,
    );

    // Each message went out once (Message-IDs are unique), and the security centre lists them all as unread.
    const all = await mailTo(to);
    expect(new Set(all.map((m) => m.messageId)).size).toBe(all.length);
    await page.goto("/settings/security");
    const unread = Number(await page.getByTestId("unread-count").textContent());
    expect(unread).toBe(all.length);
    await expect(page.getByTestId("notice").first()).toContainText("recovery code");
    await page.getByRole("button", { name: "Mark all as read" }).click();
    await expect(page.getByTestId("unread-count")).toBeHidden();
  });

  test("email preferences: a switchable kind can be turned off (the security centre still shows it); the essential ones can't", async ({
    page,
    signedInCustomer,
    authenticator,
  }) => {
    await blockPasskeyAutofill(page);
    await enrolFirstPasskey(page, authenticator, signedInCustomer);
    await page.goto("/settings/security");
    await page.getByText("Email preferences", { exact: true }).click();
    await expect(page.getByRole("checkbox", { name: "Password changes" })).toBeDisabled();
    await expect(page.getByRole("checkbox", { name: "Passkeys added" })).toBeDisabled();
    await expect(page.getByRole("checkbox", { name: "Payout account changes" })).toBeDisabled();
    await expect(page.getByRole("checkbox", { name: "Recovery-code sign-ins" })).toBeDisabled();
    await page.getByRole("checkbox", { name: "Payees added" }).uncheck();
    await page.getByRole("button", { name: "Save email preferences" }).click();
    await expect(page.getByText("Email preferences saved.")).toBeVisible();
    // Silencing emails is itself told, by an email that can't be switched off.
    expectWellFormed(
      await waitForMail(signedInCustomer.email, /preferences were changed/),
      /Emails now switched off: payees added\./,
    );

    await addPayee(page, "Quiet Payee Ltd", IBAN);
    await page.goto("/settings/security");
    await expect(page.getByTestId("notice").filter({ hasText: "A payee was added: Quiet Payee Ltd" })).toBeVisible();
    // The passkey's message (sent before the payee) is there; no payee message came, or comes.
    await waitForMail(signedInCustomer.email, /A passkey was added/);
    expect(
      queryE2eDb(`SELECT kind FROM "OutboxMessage" WHERE userId = ?`, userId(signedInCustomer.email)),
    ).not.toContainEqual({
      kind: "payee.added",
    });
    expect((await mailTo(signedInCustomer.email)).map((m) => m.subject)).not.toContain("Vault: A payee was added");
  });
});

test.describe("This wasn't me", () => {
  test("the link from a 'new passkey' message freezes the account; payments and payees are refused, the other session ends, the link works once, and unfreezing follows the documented path", async ({
    page,
    browser,
    signedInCustomer,
    authenticator,
  }) => {
    test.setTimeout(120_000);
    await blockPasskeyAutofill(page);
    await enrolFirstPasskey(page, authenticator, signedInCustomer, "Own laptop");
    await addPayee(page, "ACME Ltd", IBAN);
    // The passkey predates the freeze by more than the clock's resolution.
    const link = freezeLinkOf(await waitForMail(signedInCustomer.email, /A passkey was added/));
    // The link exists only in the email: the database keeps the link's id and a keyed hash, never the token.
    const stored = JSON.stringify(
      queryE2eDb(`SELECT * FROM "OutboxMessage" WHERE userId = ?`, userId(signedInCustomer.email)),
    );
    expect(stored).toContain("{{freeze-link}}");
    expect(stored).not.toContain(link.split("/").pop());
    const other = await secondBrowser(browser, signedInCustomer);

    // Opened from the email, signed out: one confirmation, then frozen.
    const mailReader = await browser.newContext();
    const reader = await mailReader.newPage();
    await reader.goto(link);
    await expect(reader.getByRole("heading", { name: "Freeze your account?" })).toBeVisible();
    expect(queryE2eDb(`SELECT frozenAt FROM "User" WHERE id = ?`, userId(signedInCustomer.email))).toEqual([
      { frozenAt: null },
    ]);
    await reader.getByRole("button", { name: "Yes, freeze my account" }).click();
    await expect(reader.getByTestId("account-frozen-now")).toContainText("Your account is frozen.");
    const frozen = await waitForMail(signedInCustomer.email, /Your account is frozen/);
    expect(frozen.text).toMatch(/every sign-in and API token was ended/);

    // The link signed no one in: the browser that used it has no session.
    await reader.goto("/dashboard");
    await expect(reader).toHaveURL(/\/login/);
    // Used again: a clear page, and nothing more happens.
    await reader.goto(link);
    await expect(reader.getByTestId("freeze-link-refused")).toContainText("already been used");
    await mailReader.close();

    // The other browser's session is gone, and so is this one's.
    await other.page.goto("/dashboard");
    await expect(other.page).toHaveURL(/\/login/);
    await other.context.close();
    await page.goto("/dashboard");
    await expect(page).toHaveURL(/\/login/);

    // Signed in again (a password still works): the banner says it, and money and payees are refused.
    await signIn(page, signedInCustomer);
    await expect(page).toHaveURL(/\/dashboard$/);
    await expect(page.getByTestId("account-frozen")).toContainText("Your account is frozen.");
    await fillTransfer(page, "ACME Ltd", "1250.00");
    await sendTransfer(page);
    await expect(page.getByRole("alert").filter({ hasText: "Your account is frozen" })).toBeVisible();
    await expect(page).not.toHaveURL(/\/step-up\//);
    await page.goto("/payees");
    await page.getByLabel("Payee name").fill("Mallory Ltd");
    await page.getByLabel("IBAN", { exact: true }).fill("DE89 3704 0044 0532 0130 00");
    await page.getByRole("button", { name: "Add payee" }).click();
    await expect(page.getByRole("alert").filter({ hasText: "Your account is frozen" })).toBeVisible();
    const id = userId(signedInCustomer.email);
    const paid = () => queryE2eDb(`SELECT COUNT(*) AS n FROM "Transfer" WHERE userId = ? AND payeeId IS NOT NULL`, id);
    expect(paid()).toEqual([{ n: 0 }]);
    expect(queryE2eDb(`SELECT name FROM "Payee" WHERE userId = ?`, id)).toEqual([{ name: "ACME Ltd" }]);

    // Unfreezing: the password, then the passkey from before the freeze; then it stays frozen 24 h.
    await page.goto("/settings/security");
    await expect(page.getByTestId("freeze-card")).toBeVisible();
    await page.getByLabel("Password", { exact: true }).fill("not the password");
    await page.getByRole("button", { name: "Unfreeze my account" }).click();
    await expect(page.getByText("That password isn't right.")).toBeVisible();
    await page.getByLabel("Password", { exact: true }).fill(signedInCustomer.password);
    await page.getByRole("button", { name: "Unfreeze my account" }).click();
    await expect(page.getByTestId("step-up-title")).toHaveText("Unfreeze your account");
    await confirmStepUp(page);
    await expect(page).toHaveURL(/\/settings\/security\?unfreeze=confirmed$/);
    await expect(page.getByTestId("unfreeze-pending")).toContainText("works again at");
    await expect(page.getByTestId("account-frozen")).toBeVisible();
    await waitForMail(signedInCustomer.email, /will be unfrozen/);

    // After the cooling-off (moved into the past here), the account works again.
    const [{ unfreezeAt }] = queryE2eDb<{ unfreezeAt: string | number }>(
      `SELECT unfreezeAt FROM "User" WHERE id = ?`,
      id,
    );
    const past = Date.now() - 1000;
    // Prisma stores SQLite DateTimes as ISO-8601 text or epoch milliseconds: keep whichever it is.
    writeE2eDb(
      `UPDATE "User" SET unfreezeAt = ? WHERE id = ?`,
      typeof unfreezeAt === "number" ? past : new Date(past).toISOString(),
      id,
    );
    await page.goto("/dashboard");
    await expect(page.getByTestId("account-frozen")).toBeHidden();
    await fillTransfer(page, "ACME Ltd", "1250.00");
    await sendTransfer(page);
    await confirmStepUp(page);
    expect(paid()).toEqual([{ n: 1 }]);
  });

  test("a forged, malformed or unknown link gets a clear page and changes nothing", async ({ page }) => {
    for (const token of ["A".repeat(43), "nope", `${"x".repeat(43)}.extra`, "-".repeat(43)]) {
      const response = await page.goto(`/freeze/${token}`);
      expect(response?.status()).toBeLessThan(500);
      await expect(page.getByTestId("freeze-link-refused")).toContainText("isn't valid, so nothing was changed");
      await expect(page.getByRole("button", { name: "Yes, freeze my account" })).toHaveCount(0);
    }
  });
});

test("the development mailbox is a 404 under next start (it would show every customer's mail)", async ({ page }) => {
  const response = await page.goto("/dev/mailbox");
  expect(response?.status()).toBe(404);
  await expect(page.getByTestId("dev-mail")).toHaveCount(0);
});

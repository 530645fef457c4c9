import { queryE2eDb } from "./support/e2e-db";
import {
  accountsOf,
  addPayee,
  craft,
  fillTransfer,
  removePayeeFrom,
  snapshot,
  TRANSFER_FORM,
  TRANSFER_PAGE,
  userId,
  sendTransfer,
  reviewTransfer,
} from "./support/bank";
import type { Page } from "@playwright/test";
import { confirmStepUp, DEMO, enrolFirstPasskey, expect, signIn, test, type Credentials } from "./fixtures";

test.describe("transfers", () => {
  test("between own accounts: detail page, new balances and the activity feed", async ({
    page,
    signedInCustomer: _signedIn,
  }) => {
    await fillTransfer(page, "Savings", "125.50", "Holiday fund");
    await sendTransfer(page);
    await expect(page).toHaveURL(TRANSFER_PAGE);
    await expect(page.getByTestId("transfer-amount")).toHaveText("$125.50");
    // A toast confirms it, once: it's gone after a reload, and can be dismissed.
    const toast = page.getByTestId("toast");
    await expect(toast).toHaveText(/Payment sent\./);
    await toast.getByRole("button", { name: "Dismiss" }).click();
    await expect(toast).toHaveCount(0);
    await page.reload();
    await expect(page.getByTestId("transfer-amount")).toHaveText("$125.50");
    await expect(toast).toHaveCount(0);
    const detail = page.getByTestId("transfer-detail");
    await expect(detail).toContainText("Everyday Checking");
    await expect(detail).toContainText("Savings");
    await expect(detail).toContainText("Holiday fund");
    await expect(detail).toContainText(/VLT-[2-9A-Z]{4}-[2-9A-Z]{4}/);

    await page.getByRole("link", { name: "Back to accounts" }).click();
    const cards = page.getByTestId("account-card");
    await expect(cards.filter({ hasText: "Everyday Checking" }).getByTestId("account-balance")).toHaveText("$2,374.50");
    await expect(cards.filter({ hasText: "Savings" }).getByTestId("account-balance")).toHaveText("$10,125.50");
    await expect(page.getByTestId("activity-feed").getByRole("link").first()).toContainText("Holiday fund");
    // The account page lists the entry with its running balance.
    await cards.filter({ hasText: "Savings" }).getByRole("link").click();
    await expect(page.getByTestId("ledger").locator("tbody tr").first()).toContainText("+$125.50");
    await expect(page.getByTestId("ledger").locator("tbody tr").first()).toContainText("$10,125.50");
  });

  test("the dashboard charts each account's balance over 30 or 90 days, from the ledger", async ({
    page,
    signedInCustomer: _signedIn,
  }) => {
    // opened today: no history to draw yet
    await page.goto("/dashboard");
    await expect(page.getByTestId("account-card").getByTestId("balance-chart-empty")).toHaveCount(2);

    await page.context().clearCookies();
    await signIn(page, DEMO.alice); // the seed's five weeks of history
    await expect(page).toHaveURL(/\/dashboard$/);
    const range = page.getByRole("navigation", { name: "Balance history range" });
    await expect(range.getByRole("link", { name: "30 days" })).toHaveAttribute("aria-current", "page");
    for (const card of await page.getByTestId("account-card").all()) {
      const balance = await card.getByTestId("account-balance").innerText();
      // The chart ends at the balance shown above it, and says so in words.
      await expect(card.getByRole("img")).toHaveAttribute(
        "aria-label",
        new RegExp(`balance, last 30 days: \\$[\\d,.]+ on \\w+ \\d+, ${balance.replace(/[$.]/g, "\\$&")} now; lowest`),
      );
      await expect(card.getByTestId("balance-change")).toHaveText(/^([+-]\$[\d,.]+|\$0\.00) in 30 days$/);
    }
    await range.getByRole("link", { name: "90 days" }).click();
    await expect(page).toHaveURL(/\/dashboard\?range=90$/);
    await expect(range.getByRole("link", { name: "90 days" })).toHaveAttribute("aria-current", "page");
    // The accounts opened 35 days ago, so the 90-day view starts there.
    await expect(page.getByTestId("balance-change").first()).toHaveText(/ since \w+ \d+$/);
  });

  test("to a new payee: the payee stops being new after the first payment", async ({ page, customerWithPasskey }) => {
    await addPayee(page, "ACME Ltd", "GB82 WEST 1234 5698 7654 32");
    const row = page.getByTestId("payee-row").filter({ hasText: "ACME Ltd" });
    await expect(row).toContainText("IBAN ••• 5432");
    await expect(row).toContainText("New");

    await fillTransfer(page, "ACME Ltd", "40.00");
    await sendTransfer(page);
    await confirmStepUp(page); // a new payee: step-up even for a small amount
    await expect(page.getByTestId("transfer-detail")).toContainText("ACME Ltd (IBAN ••• 5432)");
    await page.goto("/payees");
    await expect(page.getByTestId("payee-row").filter({ hasText: "ACME Ltd" })).not.toContainText("New");
    expect(accountsOf(customerWithPasskey.email)[0].balance).toBe(250_000 - 4_000);
  });

  test("a double-clicked send moves money once", async ({ page, signedInCustomer }) => {
    await fillTransfer(page, "Savings", "7.77");
    await reviewTransfer(page);
    await expect(page.getByTestId("transfer-review")).toBeVisible();
    // Two sends in the same tick: the second can't be stopped by the disabled button, only by the key.
    await page.evaluate(() => {
      const form = document.querySelector<HTMLFormElement>("form:has([name=idempotencyKey])")!;
      form.requestSubmit();
      form.requestSubmit();
    });
    await expect(page).toHaveURL(TRANSFER_PAGE);
    const rows = queryE2eDb<{ n: number }>(
      `SELECT COUNT(*) AS n FROM "Transfer" WHERE userId = ? AND amount = 777`,
      userId(signedInCustomer.email),
    );
    expect(
      rows[0].n,
      JSON.stringify(
        queryE2eDb(`SELECT amount, idempotencyKey FROM "Transfer" WHERE userId = ?`, userId(signedInCustomer.email)),
      ),
    ).toBe(1);
    expect(accountsOf(signedInCustomer.email).map((a) => a.balance)).toEqual([250_000 - 777, 1_000_000 + 777]);
  });

  test("keeps the typed values and shows a field error when funds are short", async ({
    page,
    signedInCustomer: _signedIn,
  }) => {
    await fillTransfer(page, "Savings", "2600", "Too much");
    await reviewTransfer(page);
    await expect(page.locator("#amount-error")).toHaveText("There isn't enough money in that account.");
    await expect(page.getByTestId("form-alert"), "the message appears once, under its field").toHaveCount(0);
    await expect(page.getByLabel("Amount (USD)")).toHaveValue("2600");
    await expect(page.getByLabel("Memo (optional)")).toHaveValue("Too much");
  });
});

test.describe("payees and payout", () => {
  test("a bad IBAN gets a field error and adds nothing", async ({ page, signedInCustomer }) => {
    await addPayee(page, "Typo Inc", "GB82 WEST 1234 5698 7654 33", { confirm: false });
    await expect(page.locator("#iban-error")).toHaveText("That IBAN isn't valid. Check it for typos.");
    await expect(page.getByLabel("Payee name")).toHaveValue("Typo Inc");
    expect(queryE2eDb(`SELECT id FROM "Payee" WHERE userId = ?`, userId(signedInCustomer.email))).toHaveLength(0);
  });

  test("removing a payee", async ({ page, customerWithPasskey: _customer }) => {
    await addPayee(page, "Old Landlord", "DE89 3704 0044 0532 0130 00");
    await expect(page.getByTestId("payee-row")).toHaveCount(1);
    // A dialog asks first; keeping the payee (or Escape) changes nothing.
    await page.getByRole("button", { name: "Remove Old Landlord" }).click();
    const dialog = page.getByRole("dialog", { name: "Remove Old Landlord?" });
    await expect(dialog).toBeVisible();
    await expect(dialog.getByRole("button", { name: "Keep payee" })).toBeFocused();
    await page.keyboard.press("Escape");
    await expect(dialog).toBeHidden();
    await expect(page.getByRole("button", { name: "Remove Old Landlord" })).toBeFocused(); // focus comes back
    await page.getByRole("button", { name: "Remove Old Landlord" }).click();
    await dialog.getByRole("button", { name: "Keep payee" }).click();
    await expect(page.getByTestId("payee-row")).toHaveCount(1);
    await removePayeeFrom(page.getByTestId("payee-row"));
    await expect(page.getByTestId("payee-row")).toHaveCount(0);
    await expect(page.getByTestId("toast").filter({ hasText: "Payee removed." })).toBeVisible();
  });

  test("the payout destination is shown masked and can be changed", async ({
    page,
    customerWithPasskey: _customer,
  }) => {
    await page.goto("/settings/payout");
    await expect(page.getByTestId("payout-current")).toHaveText("No payout destination yet.");
    await page.getByLabel("Account holder").fill("Erin E2E");
    await page.getByLabel("Domestic (routing or sort code)").check();
    await page.getByLabel("Routing number or sort code").fill("021000021");
    await page.getByLabel("Account number", { exact: true }).fill("123456789");
    await page.getByRole("button", { name: "Save payout destination" }).click();
    await expect(page.getByTestId("step-up-title")).toHaveText("Send your payouts to Acct ••• 6789");
    await confirmStepUp(page);
    await expect(page.getByTestId("payout-current")).toContainText("Erin E2E · Acct ••• 6789");
    await expect(page.getByTestId("payout-current")).not.toContainText("123456789");
  });

  test("revealing the full account number is audited", async ({ page, customerWithPasskey }) => {
    const [checking] = accountsOf(customerWithPasskey.email);
    const number = queryE2eDb<{ number: string }>(`SELECT number FROM "Account" WHERE id = ?`, checking.id)[0].number;
    await page.goto(`/accounts/${checking.id}`);
    await expect(page.getByTestId("account-number")).toHaveText(`•••• ${number.slice(-4)}`);
    await page.getByRole("button", { name: "Reveal" }).click();
    await confirmStepUp(page);
    await expect(page.getByTestId("account-number")).toHaveText(number);
    await expect(page.getByTestId("routing-number")).toHaveText(/^\d{9}$/);
    // Hidden again, then shown again within the grace window: no second prompt.
    await page.getByRole("button", { name: "Hide" }).click();
    await expect(page.getByTestId("account-number")).toHaveText(`•••• ${number.slice(-4)}`);
    await page.getByRole("button", { name: "Reveal" }).click();
    await expect(page.getByTestId("account-number")).toHaveText(number);
    await expect(page.getByRole("button", { name: "Copy number" })).toBeVisible();
    await page.goto("/activity?category=account");
    await expect(page.getByTestId("audit-log")).toContainText("You revealed the full number of");
  });
});

test.describe("another customer's data", () => {
  test("is not found, by URL or by crafted action calls, and nothing changes", async ({ page }) => {
    const alice = accountsOf(DEMO.alice.email);
    const alicePayee = queryE2eDb<{ id: string }>(
      `SELECT id FROM "Payee" WHERE userId = ? AND removedAt IS NULL LIMIT 1`,
      userId(DEMO.alice.email),
    )[0].id;
    const aliceTransfer = queryE2eDb<{ id: string }>(
      `SELECT id FROM "Transfer" WHERE userId = ? LIMIT 1`,
      userId(DEMO.alice.email),
    )[0].id;
    await signIn(page, DEMO.bob);
    await expect(page).toHaveURL(/\/dashboard$/);
    const before = snapshot(DEMO.alice.email, DEMO.bob.email);

    for (const url of [`/accounts/${alice[0].id}`, `/transfers/${aliceTransfer}`]) {
      const response = await page.goto(url);
      expect(response?.status(), url).toBe(404);
    }

    // Transfer out of Alice's account, through Bob's own form and the real action endpoint.
    await page.goto("/transfers/new");
    await craft(page, TRANSFER_FORM, {
      fromAccountId: alice[0].id,
      to: `account:${accountsOf(DEMO.bob.email)[0].id}`,
      amount: "100.00",
    });
    await reviewTransfer(page);
    await expect(page.locator("#fromAccountId-error")).toHaveText("That account was not found.");

    // Into Alice's account, and to Alice's payee.
    for (const to of [`account:${alice[1].id}`, `payee:${alicePayee}`]) {
      await page.goto("/transfers/new");
      await craft(page, TRANSFER_FORM, { to, amount: "1.00" });
      await reviewTransfer(page);
      await expect(page.locator("#to-error")).toHaveText(/was not found/);
    }

    // Remove Alice's payee through Bob's remove form.
    await page.goto("/payees");
    const bobFirstPayee = page.getByTestId("payee-row").first();
    await removePayeeFrom(bobFirstPayee, { payeeId: alicePayee });
    await expect(bobFirstPayee).toContainText("That payee was not found.");

    // Reveal Alice's account number through Bob's reveal button.
    await page.goto(`/accounts/${accountsOf(DEMO.bob.email)[0].id}`);
    await craft(page, "form:has([name=accountId])", { accountId: alice[0].id });
    await page.getByRole("button", { name: "Reveal" }).click();
    await expect(page.getByText("That account was not found.")).toBeVisible();

    expect(snapshot(DEMO.alice.email, DEMO.bob.email)).toEqual(before);
  });
});

test.describe("malformed input to every banking action", () => {
  const transferCases: [string, Record<string, string | null>, string][] = [
    ["empty amount", { amount: "" }, "amount"],
    ["negative amount", { amount: "-5" }, "amount"],
    ["exponent", { amount: "1e3" }, "amount"],
    ["three decimals", { amount: "1.234" }, "amount"],
    ["NaN", { amount: "NaN" }, "amount"],
    ["10 kB amount", { amount: "9".repeat(10_000) }, "amount"],
    ["over the maximum", { amount: "25000.01" }, "amount"],
    ["missing amount", { amount: null }, "amount"],
    ["unicode digits", { amount: "١٢٣" }, "amount"],
    ["forged destination", { to: "account:' OR 1=1 --" }, "to"],
    ["missing destination", { to: null }, "to"],
    ["same account", { to: "SAME" }, "to"],
    ["forged source id", { fromAccountId: "x".repeat(65) }, "fromAccountId"],
    ["10 kB memo", { memo: "m".repeat(10_000) }, "memo"],
    ["missing idempotency key", { idempotencyKey: null }, "idempotencyKey"],
    ["malformed idempotency key", { idempotencyKey: "../../etc/passwd" }, "idempotencyKey"],
  ];

  test("transfers: each gets a field error and nothing changes", async ({ page, signedInCustomer }) => {
    test.setTimeout(90_000);
    const [checking] = accountsOf(signedInCustomer.email);
    const before = snapshot(signedInCustomer.email);
    for (const [what, values, field] of transferCases) {
      await fillTransfer(page, "Savings", "1.00");
      await craft(page, TRANSFER_FORM, {
        ...values,
        ...(values.to === "SAME" ? { to: `account:${checking.id}` } : {}),
      });
      await reviewTransfer(page);
      if (field === "idempotencyKey") await expect(page.getByTestId("form-alert"), what).toHaveText(/form has expired/);
      else await expect(page.locator(`#${field}-error`), what).toBeVisible();
      expect(snapshot(signedInCustomer.email), what).toEqual(before);
    }
  });

  test("payees and payout: each gets a field error and nothing changes", async ({ page, signedInCustomer }) => {
    test.setTimeout(90_000);

    const cases: [string, Record<string, string | null>, string][] = [
      ["bad check digits", { name: "X", scheme: "iban", iban: "GB00WEST12345698765432" }, "iban"],
      ["10 kB IBAN", { name: "X", scheme: "iban", iban: "G".repeat(10_000) }, "iban"],
      ["10 kB name", { name: "n".repeat(10_000), scheme: "iban", iban: "GB82WEST12345698765432" }, "name"],
      ["missing name", { name: null, scheme: "iban", iban: "GB82WEST12345698765432" }, "name"],
      ["unknown scheme", { name: "X", scheme: "bitcoin", iban: "GB82WEST12345698765432" }, "scheme"],
      [
        "letters in account number",
        { name: "X", scheme: "domestic", routingCode: "021000021", accountNumber: "12ab34" },
        "accountNumber",
      ],
      [
        "short routing number",
        { name: "X", scheme: "domestic", routingCode: "1234", accountNumber: "12345678" },
        "routingCode",
      ],
      [
        "prototype pollution",
        { name: "X", scheme: "iban", iban: "x", ["__proto__"]: "polluted", constructor: "y" },
        "iban",
      ],
    ];
    const before = snapshot(signedInCustomer.email);
    for (const [path, submit] of [
      ["/payees", "Add payee"],
      ["/settings/payout", "Save payout destination"],
    ] as const) {
      for (const [what, values, field] of cases) {
        await page.goto(path);
        await craft(page, "form:has([name=scheme])", values);
        await page.getByRole("button", { name: submit }).click();
        await expect(page.locator(`#${field}-error`), `${path} ${what}`).toBeVisible();
        expect(snapshot(signedInCustomer.email), `${path} ${what}`).toEqual(before);
      }
    }
  });

  test("remove payee and reveal: forged or malformed ids are not found and change nothing", async ({
    page,
    signedInCustomer,
    authenticator,
  }) => {
    test.setTimeout(60_000);
    await enrolFirstPasskey(page, authenticator, signedInCustomer);
    await addPayee(page, "Keep Me", "GB82 WEST 1234 5698 7654 32");
    await expect(page.getByTestId("payee-row")).toHaveCount(1);
    const [checking] = accountsOf(signedInCustomer.email);
    const before = snapshot(signedInCustomer.email);
    const ids: [string, string | null][] = [
      ["empty", ""],
      ["missing", null],
      ["10 kB", "x".repeat(10_000)],
      ["SQL", "' OR '1'='1"],
      ["unicode", "🔐\u0000"],
    ];
    for (const [what, value] of ids) {
      await page.goto("/payees");
      const row = page.getByTestId("payee-row").first();
      await removePayeeFrom(row, { payeeId: value });
      await expect(row, `remove: ${what}`).toContainText("That payee was not found.");

      await page.goto(`/accounts/${checking.id}`);
      await craft(page, "form:has([name=accountId])", { accountId: value });
      await page.getByRole("button", { name: "Reveal" }).click();
      await expect(page.getByText("That account was not found."), `reveal: ${what}`).toBeVisible();
      expect(snapshot(signedInCustomer.email), what).toEqual(before);
    }
  });
});

/** Signs out, fails once with a wrong password on the customer's email, then signs in: the audit has one of each. */
async function signInAfterAFailedAttempt(page: Page, user: Credentials) {
  await page.context().clearCookies();
  await signIn(page, { email: user.email, password: "not the password, long enough" });
  await expect(page.getByTestId("form-alert")).toBeVisible();
  await signIn(page, user);
  await expect(page).toHaveURL(/\/dashboard$/);
}

test("the dashboard's security summary: a prompt to add a passkey until there is one, and recent sign-ins with failures", async ({
  page,
  signedInCustomer,
  authenticator,
}) => {
  // A failed attempt on this customer's email shows up on their dashboard after they sign in.
  await signInAfterAFailedAttempt(page, signedInCustomer);
  const status = page.getByTestId("security-status");
  await expect(status.getByTestId("add-passkey-prompt")).toContainText("Add a passkey");
  const signIns = status.getByTestId("recent-sign-ins").getByRole("listitem");
  await expect(signIns.first()).toContainText("Signed in with password");
  await expect(signIns.nth(1)).toContainText("Failed attempt with password");
  await enrolFirstPasskey(page, authenticator, signedInCustomer);
  await page.goto("/dashboard");
  await expect(status.getByTestId("add-passkey-prompt")).toHaveCount(0);
  await expect(status.getByTestId("passkey-summary")).toContainText("1 passkey confirms your sensitive actions");
});

test("while a transfer is sending, its fields and button are disabled and say so; the values sent are the ones typed", async ({
  page,
  signedInCustomer: _signedIn,
}) => {
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  await fillTransfer(page, "Savings", "42.00", "Held for a moment");
  await reviewTransfer(page);
  await expect(page.getByTestId("transfer-review")).toBeVisible();
  await page.route("**/transfers/new", async (route) => {
    if (route.request().method() === "POST") await held; // hold the server action until the test has looked
    await route.continue();
  });
  await page.getByRole("button", { name: "Send money" }).click();
  await expect(page.getByRole("button", { name: "Sending…" })).toBeDisabled();
  await expect(page.getByRole("button", { name: "Edit" })).toBeDisabled();
  await expect(page.locator("fieldset[aria-busy=true]")).toHaveCount(1);
  release();
  await expect(page).toHaveURL(TRANSFER_PAGE);
  await expect(page.getByTestId("transfer-amount")).toHaveText("$42.00");
});

test("the security centre: the payout destination, a security log filtered by kind and outcome, and a passkey hint before each sensitive action", async ({
  page,
  signedInCustomer,
  authenticator,
}) => {
  await signInAfterAFailedAttempt(page, signedInCustomer);
  await enrolFirstPasskey(page, authenticator, signedInCustomer);

  await page.goto("/settings/security");
  const payout = page.getByTestId("security-payout");
  await expect(payout).toContainText("No payout destination yet.");
  await expect(payout).toContainText("Requires passkey");
  const kind = page.getByRole("navigation", { name: "Filter by kind" });
  const outcome = page.getByRole("navigation", { name: "Filter by outcome" });
  const log = page.getByTestId("audit-log");
  // The security log by default: the passkey is there, sign-ins are not.
  await expect(kind.getByRole("link", { name: "security" })).toHaveAttribute("aria-current", "page");
  await expect(log).toContainText("You added the passkey");
  await expect(log).not.toContainText("You signed in");
  // Only what failed, of the security kind: nothing yet.
  await outcome.getByRole("link", { name: "failed or refused" }).click();
  await expect(page).toHaveURL(/\/settings\/security\?outcome=failed#log$/);
  await expect(page.getByTestId("audit-log-empty")).toHaveText("Nothing matches these filters yet.");
  // Every kind, failures only: the wrong password, and nothing that succeeded.
  await kind.getByRole("link", { name: "all" }).click();
  await expect(page).toHaveURL(/\/settings\/security\?category=all&outcome=failed#log$/);
  await expect(log).toContainText("A sign-in with your password was refused");
  await expect(log).not.toContainText("You added the passkey");
  // Unknown filters are ignored, not errors.
  await page.goto("/settings/security?category=%3Cscript%3E&outcome=everything");
  await expect(kind.getByRole("link", { name: "security" })).toHaveAttribute("aria-current", "page");
  await expect(outcome.getByRole("link", { name: "any outcome" })).toHaveAttribute("aria-current", "page");

  // The hint is there before the click, wherever a passkey will be asked for.
  await payout.getByRole("link", { name: "Set it" }).click();
  await expect(page).toHaveURL(/\/settings\/payout$/);
  await expect(page.getByRole("main").getByText("Requires passkey")).toBeVisible();
  await page.goto("/payees");
  await expect(page.getByRole("main").getByText("Requires passkey")).toBeVisible();
  await page.goto("/transfers/new");
  const hint = page.getByTestId("transfer-passkey-hint");
  await expect(hint.getByText("Requires passkey")).toBeVisible();
  await expect(hint).toContainText("for a payment to a new payee, of $100.00 or more");
});

import { randomUUID } from "node:crypto";
import { craft } from "./support/bank";
import { countUsersWithEmail, queryE2eDb } from "./support/e2e-db";
import { DEMO, expect, signIn, signUp, test } from "./fixtures";

test.describe("sign-up", () => {
  test("opens a checking and a savings account with their opening balances", async ({ page }) => {
    const user = { name: "Dana Doe", email: `Dana-${randomUUID()}@Example.com`, password: "plum kettle orbit saffron" };
    await signUp(page, user);
    await expect(page).toHaveURL(/\/dashboard$/);
    await expect(page.getByRole("heading", { name: "Hello, Dana Doe" })).toBeVisible();
    const cards = page.getByTestId("account-card");
    await expect(cards).toHaveCount(2);
    await expect(cards.filter({ hasText: "Everyday Checking" }).getByTestId("account-balance")).toHaveText("$2,500.00");
    await expect(cards.filter({ hasText: "Savings" }).getByTestId("account-balance")).toHaveText("$10,000.00");
    expect(countUsersWithEmail(user.email)).toBe(1); // stored normalised (lower case)
  });

  const bad = [
    {
      what: "a malformed email",
      name: "Bad Email",
      email: "not-an-email",
      password: "a long enough passphrase",
      field: "Email",
      error: /valid email/,
    },
    {
      what: "a short password",
      name: "Short Pw",
      email: "short@example.com",
      password: "short",
      field: "Password",
      error: /at least 15 characters/,
    },
    {
      what: "a common password",
      name: "Common Pw",
      email: "common@example.com",
      password: "Password Password!",
      field: "Password",
      error: /a common password, so it.s easy to guess/,
    },
    {
      what: "a 10 kB name",
      name: "n".repeat(10_000),
      email: "huge-name@example.com",
      password: "a long enough passphrase",
      field: "Full name",
      error: /at most 100/,
    },
    {
      what: "a 10 kB email",
      name: "Huge Email",
      email: `${"e".repeat(10_000)}@example.com`,
      password: "a long enough passphrase",
      field: "Email",
      error: /too long/,
    },
    {
      what: "a 10 kB password",
      name: "Huge Pw",
      email: "huge-pw@example.com",
      password: "p".repeat(10_000),
      field: "Password",
      error: /at most 256/,
    },
  ];
  for (const c of bad) {
    test(`rejects ${c.what} with a field error and creates nothing`, async ({ page }) => {
      await signUp(page, c);
      const input = page.getByLabel(c.field);
      await expect(input).toHaveAttribute("aria-invalid", "true");
      const describedBy = (await input.getAttribute("aria-describedby")) ?? "";
      const errorId = describedBy.split(" ").find((id) => id.endsWith("-error"));
      expect(errorId).toBeTruthy();
      await expect(page.locator(`[id="${errorId}"]`)).toHaveText(c.error);
      await expect(page).toHaveURL(/\/signup$/);
      // Typed values come back (bounded), the password never does.
      if (c.field !== "Full name") await expect(page.getByLabel("Full name")).toHaveValue(c.name.slice(0, 254));
      await expect(page.getByLabel("Password")).toHaveValue("");
      expect(countUsersWithEmail(c.email.slice(0, 254))).toBe(0);
    });
  }

  test("rejects a submit with the fields missing altogether", async ({ page }) => {
    await page.goto("/signup");
    const before = queryE2eDb<{ n: number }>(`SELECT COUNT(*) AS n FROM "User"`)[0].n;
    // A crafted request: the inputs are disabled, so the browser sends no fields at all.
    await craft(page, "form", { name: null, email: null, password: null });
    await page.getByRole("button", { name: "Open account" }).click();
    await expect(page.getByTestId("form-alert")).toHaveText("Check the highlighted fields.");
    await expect(page.getByText("Enter your name.")).toBeVisible();
    await expect(page.getByText("Enter your email address.")).toBeVisible();
    await expect(page.getByText("Choose a password.")).toBeVisible();
    expect(queryE2eDb<{ n: number }>(`SELECT COUNT(*) AS n FROM "User"`)[0].n).toBe(before);
  });
});

test.describe("sign-in", () => {
  test("a demo user signs in and sees only their own accounts", async ({ page }) => {
    await signIn(page, DEMO.alice);
    await expect(page).toHaveURL(/\/dashboard$/);
    await expect(page.getByRole("heading", { name: `Hello, ${DEMO.alice.name}` })).toBeVisible();
    const owned = (email: string) =>
      queryE2eDb<{ number: string; balance: number }>(
        `SELECT a.number, a.balance FROM "Account" a JOIN "User" u ON u.id = a.userId WHERE u.email = ? ORDER BY a.createdAt`,
        email,
      );
    const alice = owned(DEMO.alice.email);
    const bob = owned(DEMO.bob.email);
    const cards = page.getByTestId("account-card");
    await expect(cards).toHaveCount(alice.length);
    for (const account of alice) await expect(page.getByText(`•••• ${account.number.slice(-4)}`)).toBeVisible();
    const text = await page.locator("main").innerText();
    for (const account of bob) expect(text).not.toContain(account.number.slice(-4));
    // Balances on screen are the ledger's, formatted from minor units.
    const shown = await page.getByTestId("account-balance").allInnerTexts();
    const expected = alice.map((a) =>
      new Intl.NumberFormat("en-US", { style: "currency", currency: "USD" }).format(a.balance / 100),
    );
    expect(shown).toEqual(expected);
  });

  test("a wrong password and an unknown email get the same generic message", async ({ page }) => {
    const messages: string[] = [];
    for (const attempt of [
      { email: DEMO.bob.email, password: "not the right password" },
      { email: `nobody-${randomUUID()}@example.com`, password: "not the right password" },
    ]) {
      await signIn(page, attempt);
      const alert = page.getByTestId("form-alert");
      await expect(alert).toBeVisible();
      messages.push(await alert.innerText());
      await expect(page).toHaveURL(/\/login/);
      await expect(page.getByLabel("Email")).toHaveValue(attempt.email); // kept for a retry
      await expect(page.getByLabel("Password")).toHaveValue("");
    }
    expect(messages[0]).toBe(messages[1]);
    expect(messages[0]).toMatch(/don't match an account/);
  });

  test("repeated failures warn, then pause password sign-in; an email with no account gets the same answers", async ({
    page,
    browser,
  }) => {
    test.setTimeout(60_000);
    const owner = {
      name: "Lock Test",
      email: `lock-${randomUUID()}@example.com`,
      password: "the owner's long passphrase",
    };
    await signUp(page, owner);
    await expect(page).toHaveURL(/\/dashboard$/);
    await page.context().clearCookies();

    const answers = async (email: string, attempts: string[]) => {
      const seen: string[] = [];
      for (const password of attempts) {
        await signIn(page, { email, password });
        const alert = page.getByTestId("form-alert");
        await expect(alert).toBeVisible();
        seen.push(await alert.innerText());
      }
      return seen;
    };
    const wrong = Array.from({ length: 5 }, (_, i) => `wrong guess number ${i}`);
    const forOwner = await answers(owner.email, [...wrong, owner.password]);
    const forNobody = await answers(`nobody-${randomUUID()}@example.com`, [...wrong, owner.password]);
    expect(forOwner).toEqual(forNobody);
    expect(forOwner.slice(0, 2)).toEqual([
      expect.stringMatching(/don't match an account\. Check them and try again\.$/),
      expect.stringMatching(/try again\.$/),
    ]);
    expect(forOwner[2]).toMatch(/2 attempts left before password sign-in is paused for 15 minutes/);
    expect(forOwner[3]).toMatch(/1 attempt left before/);
    // The 5th failure pauses it; then even the right password is refused.
    expect(forOwner[4]).toMatch(/^Too many attempts\. Password sign-in for this email is paused for 15 minutes/);
    expect(forOwner[5]).toBe(forOwner[4]);
    await expect(page).toHaveURL(/\/login/);
    const locked = queryE2eDb<{ n: number }>(
      `SELECT COUNT(*) AS n FROM "AuditEvent" a JOIN "User" u ON u.id = a.userId WHERE u.email = ? AND a.action = 'auth.sign_in_locked'`,
      owner.email,
    );
    expect(locked[0].n).toBe(1);

    // Someone else, elsewhere, is not affected.
    const context = await browser.newContext();
    try {
      const other = await context.newPage();
      await signIn(other, DEMO.bob);
      await expect(other).toHaveURL(/\/dashboard$/);
    } finally {
      await context.close();
    }
  });

  test("the session cookie is HttpOnly and SameSite=Lax", async ({ page, signedInCustomer: _signedIn }) => {
    const cookie = (await page.context().cookies()).find((c) => c.name.includes("session-token"));
    expect(cookie).toBeTruthy();
    expect(cookie!.httpOnly).toBe(true);
    expect(cookie!.sameSite).toBe("Lax");
  });
});

test.describe("signed out", () => {
  test("a signed-out visit to the dashboard redirects to the login page", async ({ page }) => {
    await page.goto("/dashboard");
    await expect(page).toHaveURL(/\/login/);
    await expect(page.getByRole("heading", { name: "Sign in to Vault" })).toBeVisible();
  });

  test("sign-out ends the session", async ({ page, signedInCustomer }) => {
    await expect(page.getByTestId("signed-in-as")).toHaveText(signedInCustomer.email.toLowerCase());
    await page.getByRole("button", { name: "Sign out", exact: true }).click();
    await expect(page).toHaveURL(/\/login\?signed_out=1$/);
    await expect(page.getByTestId("signed-out")).toHaveText(/You've signed out\./);
    await page.goto("/dashboard");
    await expect(page).toHaveURL(/\/login/);
    // The landing page no longer sends this browser to the dashboard either.
    await page.goto("/");
    await expect(page.getByRole("link", { name: "Sign in" })).toBeVisible();
  });

  test("the landing page sends a signed-in user to the dashboard", async ({ page, signedInCustomer: _signedIn }) => {
    await page.goto("/");
    await expect(page).toHaveURL(/\/dashboard$/);
  });
});

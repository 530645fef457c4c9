/**
 * Single sign-on through a real OpenID Provider (e2e/support/idp.ts, started by the Playwright
 * config) with the whole browser redirect flow: Vault's login page, the IdP's sign-in page, the
 * code back to Auth.js, the ID token verified, and a Vault customer for that IdP account.
 */
import { IDP_ACCOUNTS } from "./support/idp";
import { countUsersWithEmail, queryE2eDb } from "./support/e2e-db";
import { blockPasskeyAutofill, expect, signUp, test } from "./fixtures";

const ava = { email: "ava@sso.example", ...IDP_ACCOUNTS["ava@sso.example"] };

test("SSO sign-in: the first time opens a customer with accounts, the next time is the same customer", async ({
  page,
}) => {
  await blockPasskeyAutofill(page);
  await page.goto("/login");
  await page.getByRole("button", { name: "Sign in with Example SSO" }).click();
  await expect(page).toHaveURL(/^http:\/\/127\.0\.0\.1:\d+\/interaction\//);
  await page.getByLabel("Email").fill(ava.email);
  await page.getByLabel("Password").fill(ava.password);
  await page.getByRole("button", { name: "Sign in" }).click();

  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByTestId("signed-in-as")).toHaveText(ava.email);
  await expect(page.getByTestId("account-card")).toHaveCount(2);
  const [linked] = queryE2eDb<{ userId: string; subject: string }>(
    `SELECT "userId", subject FROM "FederatedIdentity" WHERE subject = ?`,
    ava.sub,
  );
  expect(linked.subject).toBe(ava.sub);
  const session = queryE2eDb<{ method: string }>(
    `SELECT method FROM "Session" WHERE "userId" = ? ORDER BY "createdAt" DESC LIMIT 1`,
    linked.userId,
  )[0];
  expect(session.method).toBe("sso");
  // No password: the IdP, or a passkey, is how this customer signs in.
  expect(
    queryE2eDb<{ passwordHash: string }>(`SELECT "passwordHash" FROM "User" WHERE id = ?`, linked.userId)[0]
      .passwordHash,
  ).toMatch(/^sso-only:/);

  // Signed out of Vault, back through the IdP (still signed in there): the same customer.
  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await expect(page).toHaveURL(/\/login/);
  await page.getByRole("button", { name: "Sign in with Example SSO" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  expect(
    queryE2eDb<{ n: number }>(`SELECT COUNT(*) AS n FROM "FederatedIdentity" WHERE subject = ?`, ava.sub)[0].n,
  ).toBe(1);
  expect(
    queryE2eDb<{ n: number }>(
      `SELECT COUNT(*) AS n FROM "Session" WHERE "userId" = ? AND method = 'sso'`,
      linked.userId,
    )[0].n,
  ).toBe(2);
});

/**
 * Issue 16, 10f: a sign-in Vault refuses ends on the login page saying why, not as Auth.js' generic
 * "Configuration" error (and no stack trace in the log: lib/auth/sso-refusal.test.ts).
 */
test("SSO sign-in refused for an email a Vault customer already has: the login page says why, nothing is linked", async ({
  page,
  browser,
}) => {
  const cy = { email: "cy@sso.example", ...IDP_ACCOUNTS["cy@sso.example"] };
  // A Vault customer with that email, signed up with a password (in another browser).
  const other = await browser.newContext();
  try {
    await signUp(await other.newPage(), {
      name: "Cy Vault",
      email: cy.email,
      password: "a vault passphrase that is long",
    });
    await expect.poll(() => countUsersWithEmail(cy.email)).toBe(1);
  } finally {
    await other.close();
  }
  await blockPasskeyAutofill(page);
  await page.goto("/login");
  await page.getByRole("button", { name: "Sign in with Example SSO" }).click();
  await expect(page).toHaveURL(/^http:\/\/127\.0\.0\.1:\d+\/interaction\//);
  await page.getByLabel("Email").fill(cy.email);
  await page.getByLabel("Password").fill(cy.password);
  await page.getByRole("button", { name: "Sign in" }).click();

  await expect(page).toHaveURL(/\/login\?error=SsoRefused&reason=email_taken$/);
  await expect(page.getByTestId("sign-in-error")).toContainText("already has the email address Example SSO gave us");
  await expect(page.getByTestId("sign-in-error")).toContainText("sign in with your password or passkey");
  expect(queryE2eDb(`SELECT 1 FROM "FederatedIdentity" WHERE subject = ?`, cy.sub)).toEqual([]);
  expect(
    queryE2eDb<{ reason: string }>(
      `SELECT reason FROM "AuditEvent" WHERE action = 'auth.sign_in' AND outcome = 'DENIED' AND metadata LIKE '%sso%' ORDER BY createdAt DESC LIMIT 1`,
    )[0].reason,
  ).toBe("a customer with that email already exists");
});

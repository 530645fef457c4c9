/**
 * Single sign-on through a real OpenID Provider (e2e/support/idp.ts, started by the Playwright
 * config) with the whole browser redirect flow: Vault's login page, the IdP's sign-in page, the
 * code back to Auth.js, the ID token verified, and a Vault customer for that IdP account.
 */
import { IDP_ACCOUNTS } from "./support/idp";
import { queryE2eDb } from "./support/e2e-db";
import { blockPasskeyAutofill, expect, test } from "./fixtures";

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

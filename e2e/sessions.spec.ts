/** Sessions you can see and end (OWASP ASVS 5 V7.5.2), checked across two browsers. */
import type { Browser } from "@playwright/test";
import { userId } from "./support/bank";
import { queryE2eDb } from "./support/e2e-db";
import { confirmStepUp, enrolFirstPasskey, expect, signIn, test, type Credentials } from "./fixtures";

/** The audited refusals of an ended session's cookie, for this customer. */
const refusals = (email: string) =>
  queryE2eDb<{ reason: string; metadata: string }>(`SELECT reason, metadata FROM "AuditEvent" WHERE userId = ? AND action = 'auth.session_refused'`, userId(email)).map((r) => ({
    reason: r.reason,
    revokedReason: (JSON.parse(r.metadata) as { revokedReason: string | null }).revokedReason,
  }));

/** The same customer signed in from a second browser. */
async function secondDevice(browser: Browser, user: Credentials) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, user);
  await expect(page).toHaveURL(/\/dashboard$/);
  return { context, page };
}

test("a session ended from another device stops on its next request, and its reuse is audited", async ({ page, browser, newUser }) => {
  const other = await secondDevice(browser, newUser);
  try {
    await page.goto("/settings/security");
    const rows = page.getByTestId("session-row");
    await expect(rows).toHaveCount(2);
    await expect(rows.first()).toContainText("This device");
    await expect(rows.first()).toContainText("signed in with password");
    await rows.nth(1).getByRole("button", { name: "End session" }).click();
    await expect(rows).toHaveCount(1);

    await other.page.goto("/dashboard");
    await expect(other.page).toHaveURL(/\/login/);
    expect(refusals(newUser.email)).toContainEqual({ reason: "revoked", revokedReason: "revoked_by_user" });
    await page.goto("/dashboard");
    await expect(page).toHaveURL(/\/dashboard$/); // this one is untouched
    await page.goto("/activity?category=security");
    await expect(page.getByTestId("audit-log")).toContainText("Ended session used again (refused)");
  } finally {
    await other.context.close();
  }
});

test("a session cookie replayed after sign-out is refused, and audited", async ({ page, browser, newUser }) => {
  const cookies = await page.context().cookies();
  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await expect(page).toHaveURL(/\/login/);
  const context = await browser.newContext();
  try {
    await context.addCookies(cookies); // the old, still-unexpired JWT
    const replay = await context.newPage();
    await replay.goto("/dashboard");
    await expect(replay).toHaveURL(/\/login/);
    expect(await (await replay.request.get("/settings/security", { maxRedirects: 0 })).status()).toBe(307);
    expect(refusals(newUser.email)).toContainEqual({ reason: "revoked", revokedReason: "signed_out" });
  } finally {
    await context.close();
  }
});

test("changing the password ends every other session", async ({ page, browser, newUser, authenticator }) => {
  void authenticator;
  await enrolFirstPasskey(page, newUser);
  const other = await secondDevice(browser, newUser);
  try {
    await page.goto("/settings/security");
    await expect(page.getByTestId("session-row")).toHaveCount(2);
    await page.getByLabel("Current password").fill(newUser.password);
    await page.getByLabel("New password").fill("a fresh and rather long passphrase");
    await page.getByRole("button", { name: "Change password" }).click();
    await confirmStepUp(page);
    await expect(page.getByRole("status")).toHaveText("Your password was changed.");
    await expect(page.getByTestId("session-row")).toHaveCount(1);

    await other.page.goto("/dashboard");
    await expect(other.page).toHaveURL(/\/login/);
    const reasons = queryE2eDb<{ revokedReason: string }>(`SELECT revokedReason FROM "Session" WHERE userId = ? AND revokedAt IS NOT NULL`, userId(newUser.email));
    expect(reasons.map((r) => r.revokedReason)).toEqual(["password_changed"]);
  } finally {
    await other.context.close();
  }
});

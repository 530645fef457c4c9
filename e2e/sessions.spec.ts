/** Sessions you can see and end (OWASP ASVS 5 V7.5.2), checked across two browsers. */
import { createHash, randomBytes } from "node:crypto";
import type { Browser, BrowserContext, Cookie, Page } from "@playwright/test";
import { userId } from "./support/bank";
import { queryE2eDb, writeE2eDb } from "./support/e2e-db";
import { confirmStepUp, expect, signIn, test, type Credentials } from "./fixtures";

/** The audited refusals of an ended session's cookie, for this customer. */
const refusals = (email: string) =>
  queryE2eDb<{ reason: string; metadata: string }>(
    `SELECT reason, metadata FROM "AuditEvent" WHERE userId = ? AND action = 'auth.session_refused'`,
    userId(email),
  ).map((r) => ({
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

test("a session ended from another device stops on its next request, and its reuse is audited", async ({
  page,
  browser,
  signedInCustomer,
}) => {
  const other = await secondDevice(browser, signedInCustomer);
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
    await expect(other.page.getByTestId("session-ended")).toHaveText(/Your session ended, so you've been signed out\./);
    expect(refusals(signedInCustomer.email)).toContainEqual({ reason: "revoked", revokedReason: "revoked_by_user" });
    await page.goto("/dashboard");
    await expect(page).toHaveURL(/\/dashboard$/); // this one is untouched
    await page.goto("/activity?category=security");
    await expect(page.getByTestId("audit-log")).toContainText("A session that had ended was used again and refused");
  } finally {
    await other.context.close();
  }
});

test("a session cookie replayed after sign-out is refused, and audited", async ({
  page,
  browser,
  signedInCustomer,
}) => {
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
    expect(refusals(signedInCustomer.email)).toContainEqual({ reason: "revoked", revokedReason: "signed_out" });
  } finally {
    await context.close();
  }
});

test("changing the password ends every other session", async ({ page, browser, customerWithPasskey }) => {
  const other = await secondDevice(browser, customerWithPasskey);
  try {
    await page.goto("/settings/security");
    await expect(page.getByTestId("session-row")).toHaveCount(2);
    await page.getByLabel("Current password").fill(customerWithPasskey.password);
    await page.getByLabel("New password").fill("a fresh and rather long passphrase");
    await page.getByRole("button", { name: "Change password" }).click();
    await confirmStepUp(page);
    await expect(page.getByRole("status")).toHaveText("Your password was changed.");
    await expect(page.getByTestId("session-row")).toHaveCount(1);

    await other.page.goto("/dashboard");
    await expect(other.page).toHaveURL(/\/login/);
    const reasons = queryE2eDb<{ revokedReason: string }>(
      `SELECT revokedReason FROM "Session" WHERE userId = ? AND revokedAt IS NOT NULL`,
      userId(customerWithPasskey.email),
    );
    // The other device's session, and this one's earlier ids, rotated by the password re-entry and the step-up.
    expect(reasons.map((r) => r.revokedReason).filter((r) => r !== "rotated")).toEqual(["password_changed"]);
  } finally {
    await other.context.close();
  }
});

/** This browser's cookies now: a copy is what a thief who read them would hold. */
const copyCookies = (page: Page) => page.context().cookies();

/** Opens /dashboard in a fresh browser holding only `cookies`; true when it was let in. */
async function opensDashboard(browser: Browser, cookies: Cookie[]): Promise<boolean> {
  const context: BrowserContext = await browser.newContext();
  try {
    await context.addCookies(cookies);
    const response = await context.request.get("/dashboard", { maxRedirects: 0 });
    return response.status() === 200;
  } finally {
    await context.close();
  }
}

const auditRows = (email: string, ...actions: string[]) =>
  queryE2eDb<{ action: string }>(
    `SELECT action FROM "AuditEvent" WHERE userId = ? AND action IN (${actions.map(() => "?").join(",")})`,
    userId(email),
    ...actions,
  );
const liveSessions = (email: string) =>
  queryE2eDb<{ id: string }>(`SELECT id FROM "Session" WHERE userId = ? AND revokedAt IS NULL`, userId(email));

/** Auth.js' own sign-out, as any page could post it: a CSRF token, then POST /api/auth/signout. */
async function authJsSignOut(page: Page) {
  const { csrfToken } = (await (await page.request.get("/api/auth/csrf")).json()) as { csrfToken: string };
  const response = await page.request.post("/api/auth/signout", {
    form: { csrfToken, callbackUrl: "/login" },
    headers: { origin: new URL(page.url()).origin },
    maxRedirects: 0,
  });
  expect(response.status()).toBe(302);
}

/**
 * Issue 16, finding 5: every way to sign out ends the server-side session. After each, a copy of the
 * cookie taken before gets nothing, the session row is ended, and there is exactly one audit row.
 */
const SIGN_OUT_PATHS: Record<string, (page: Page) => Promise<void>> = {
  "the Sign out button": async (page) => {
    await page.getByRole("button", { name: "Sign out", exact: true }).click();
    await expect(page).toHaveURL(/\/login/);
  },
  "Sign out here in the session list": async (page) => {
    await page.goto("/settings/security");
    await page.getByTestId("session-row").first().getByRole("button", { name: "Sign out here" }).click();
    await expect(page).toHaveURL(/\/login/);
  },
  "Auth.js' POST /api/auth/signout": authJsSignOut,
};

for (const [path, signOut] of Object.entries(SIGN_OUT_PATHS)) {
  test(`sign-out by ${path} ends the server-side session: a copied cookie is refused, one audit row`, async ({
    page,
    browser,
    signedInCustomer,
  }) => {
    const cookies = await copyCookies(page);
    expect(await opensDashboard(browser, cookies)).toBe(true);
    await signOut(page);
    expect(await opensDashboard(browser, cookies)).toBe(false);
    expect(liveSessions(signedInCustomer.email)).toEqual([]);
    expect(auditRows(signedInCustomer.email, "auth.sign_out", "auth.session_revoke")).toHaveLength(1);
  });
}

test("Auth.js' sign-out page (GET /api/auth/signout) only asks: the session stays until it is posted", async ({
  page,
  browser,
  signedInCustomer,
}) => {
  const cookies = await copyCookies(page);
  expect((await page.request.get("/api/auth/signout")).status()).toBe(200);
  expect(await opensDashboard(browser, cookies)).toBe(true);
  expect(liveSessions(signedInCustomer.email)).toHaveLength(1);
});

/**
 * Issue 16, finding 6 (OWASP ASVS 5 V7.2.4): re-authentication issues a new session token and ends the
 * old one. Each event below is followed by: the cookie copied before is refused, the browser's new
 * one works.
 */
test("a step-up rotates the session: the cookie from before it is refused, the new one works, and the operation still ran", async ({
  page,
  browser,
  customerWithPasskey,
}) => {
  // a password re-entry: rotates too
  const before = await copyCookies(page);
  await page.goto("/settings/security");
  await page.getByLabel("Current password").fill(customerWithPasskey.password);
  await page.getByLabel("New password").fill("a fresh and rather long passphrase");
  await page.getByRole("button", { name: "Change password" }).click();
  await confirmStepUp(page);
  await expect(page.getByRole("status")).toHaveText("Your password was changed.");
  expect(await opensDashboard(browser, before)).toBe(false);
  expect(await opensDashboard(browser, await copyCookies(page))).toBe(true);
  expect(liveSessions(customerWithPasskey.email)).toHaveLength(1);
  expect(refusals(customerWithPasskey.email)).toContainEqual({ reason: "revoked", revokedReason: "rotated" });
});

test("sign out everywhere else rotates this session too, and ends the customer's API access tokens but not the API client", async ({
  page,
  browser,
  signedInCustomer,
}) => {
  const other = await secondDevice(browser, signedInCustomer);
  try {
    const accessToken = apiAccessTokenFor(signedInCustomer.email);
    const api = (token: string) =>
      page.request.get("/api/v1/accounts", { headers: { authorization: `Bearer ${token}` } });
    expect((await api(accessToken)).status()).toBe(200);
    const before = await copyCookies(page);

    await page.goto("/settings/security");
    await page.getByRole("button", { name: "Sign out everywhere else" }).click();
    await expect(page.getByTestId("session-row")).toHaveCount(1);

    await other.page.goto("/dashboard");
    await expect(other.page).toHaveURL(/\/login/);
    expect(await opensDashboard(browser, before)).toBe(false);
    await page.goto("/dashboard");
    await expect(page).toHaveURL(/\/dashboard$/);
    expect(liveSessions(signedInCustomer.email)).toHaveLength(1);
    expect((await api(accessToken)).status()).toBe(401);
    expect(
      queryE2eDb(`SELECT id FROM "ApiClient" WHERE userId = ? AND revokedAt IS NULL`, userId(signedInCustomer.email)),
    ).toHaveLength(1);
  } finally {
    await other.context.close();
  }
});

test("a recovery sign-in in a browser that had a session ends that session: the old cookie is refused, the new one works", async ({
  page,
  browser,
  customerWithPasskey,
}) => {
  const codes = customerWithPasskey.recoveryCodes;
  const before = await copyCookies(page);
  // The recovery provider through Auth.js' endpoint, with this browser's (signed-in) cookies.
  const { csrfToken } = (await (await page.request.get("/api/auth/csrf")).json()) as { csrfToken: string };
  const response = await page.request.post("/api/auth/callback/recovery", {
    form: { csrfToken, email: customerWithPasskey.email, password: customerWithPasskey.password, code: codes[0] },
    headers: { origin: new URL(page.url()).origin },
    maxRedirects: 0,
  });
  expect(response.status()).toBe(302);
  expect(response.headers().location).not.toContain("error");
  expect(await opensDashboard(browser, before)).toBe(false);
  expect(await opensDashboard(browser, await copyCookies(page))).toBe(true);
  const ended = queryE2eDb<{ revokedReason: string }>(
    `SELECT revokedReason FROM "Session" WHERE userId = ? AND revokedAt IS NOT NULL`,
    userId(customerWithPasskey.email),
  );
  expect(ended.map((r) => r.revokedReason)).toContain("replaced_by_sign_in");
  expect(liveSessions(customerWithPasskey.email)).toHaveLength(1);
});

test("a password change also ends the customer's API access tokens", async ({ page, customerWithPasskey }) => {
  const accessToken = apiAccessTokenFor(customerWithPasskey.email);
  const api = () => page.request.get("/api/v1/accounts", { headers: { authorization: `Bearer ${accessToken}` } });
  expect((await api()).status()).toBe(200);
  await page.goto("/settings/security");
  await page.getByLabel("Current password").fill(customerWithPasskey.password);
  await page.getByLabel("New password").fill("a fresh and rather long passphrase");
  await page.getByRole("button", { name: "Change password" }).click();
  await confirmStepUp(page);
  await expect(page.getByRole("status")).toHaveText("Your password was changed.");
  expect((await api()).status()).toBe(401);
});

/**
 * An API client of this customer with a live access token, written straight into the database (the
 * security centre's way to make one needs a passkey step-up, which isn't what these tests are about).
 */
function apiAccessTokenFor(email: string): string {
  const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");
  const accessToken = `vlt_at_${randomBytes(32).toString("base64url")}`;
  const clientId = `vlt_client_${randomBytes(8).toString("hex")}`;
  const [now, later] = [new Date().toISOString(), new Date(Date.now() + 3_600_000).toISOString()];
  writeE2eDb(
    `INSERT INTO "ApiClient" ("id", "userId", "name", "scopes", "secretHash", "acr", "authTime", "createdAt", "expiresAt") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    clientId,
    userId(email),
    "e2e app",
    "accounts:read",
    sha256(`vlt_pat_${randomBytes(32).toString("base64url")}`),
    "urn:vault:acr:phr",
    now,
    now,
    later,
  );
  writeE2eDb(
    `INSERT INTO "ApiAccessToken" ("id", "tokenHash", "clientId", "userId", "scopes", "acr", "authTime", "createdAt", "expiresAt") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    `tok-${randomBytes(8).toString("hex")}`,
    sha256(accessToken),
    clientId,
    userId(email),
    "accounts:read",
    "urn:vault:acr:phr",
    now,
    now,
    later,
  );
  return accessToken;
}

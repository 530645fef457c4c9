/**
 * Issue 5, "Two instances": two `next start` instances on different ports against one PostgreSQL,
 * behind one origin. A step-up begun on instance A completes on instance B, and a session revoked
 * through A is refused by B. Nothing that matters may live in one instance's memory.
 */
import { randomUUID } from "node:crypto";
import type { AppServer } from "../support/app-server";
import { addPayee, fillTransfer, TRANSFER_PAGE, sendTransfer } from "../support/bank";
import { startReverseProxy, type ProxiedRequest, type ReverseProxy, type Route } from "../support/reverse-proxy";
import { request, serverAction } from "../support/server-actions";
import { freshDatabase, openSql } from "../support/sql";
import { confirmStepUp, enrolFirstPasskey, signIn, signUp } from "../fixtures";
import { expect, requireProvider, test as reliability } from "./fixtures";

/**
 * The balancer on a free port, started before the page so the page's baseURL can be its origin;
 * the test says where it routes once the instances run. It depends on `apps` so that it closes
 * before the instances stop: a page still prefetching would otherwise get the balancer's 502s.
 */
const test = reliability.extend<{ balancer: ReverseProxy & { routeBy(route: Route): void } }>({
  balancer: async ({ apps }, use) => {
    void apps;
    let route: Route | undefined;
    const proxy = await startReverseProxy(0, (request) => {
      if (!route) throw new Error("the balancer has no instances yet");
      return route(request);
    });
    await use(Object.assign(proxy, { routeBy: (r: Route) => void (route = r) }));
    await proxy.close();
  },
  baseURL: async ({ balancer }, use) => use(balancer.origin),
});

test("a step-up begun on A completes on B, and a session revoked through A is refused by B", async ({
  page,
  browser,
  apps,
  authenticator,
  balancer,
}) => {
  const ORIGIN = balancer.origin;
  requireProvider("postgresql");
  const databaseUrl = await freshDatabase("postgresql", "vault_rel_two_instances");
  apps.prepare(databaseUrl);
  // Both trust only the balancer's origin, for server actions and for WebAuthn.
  const [a, b] = await Promise.all([
    apps.start({ databaseUrl, origin: ORIGIN, name: "A" }),
    apps.start({ databaseUrl, origin: ORIGIN, name: "B" }),
  ]);
  const begin = serverAction("beginStepUpAction").id;
  const complete = serverAction("completeStepUpAction").id;
  const revoke = serverAction("revokeSessionAction").id;
  const signOut = serverAction("signOutAction").id;
  // Step-up begins and revocations go to A, completions to B; everything else alternates.
  let turn = 0;
  const proxy = balancer;
  proxy.routeBy(({ action }): AppServer => {
    if (action === begin || action === revoke || action === signOut) return a;
    if (action === complete) return b;
    return turn++ % 2 === 0 ? a : b;
  });
  const sql = await openSql(databaseUrl);
  try {
    const user = {
      name: "Ada Two",
      email: `ada-${randomUUID()}@example.com`,
      password: "a passphrase for two instances",
    };
    await signUp(page, user);
    await expect(page).toHaveURL(/\/dashboard$/);
    await enrolFirstPasskey(page, authenticator, user);
    await addPayee(page, "ACME Ltd", "GB82 WEST 1234 5698 7654 32"); // a first step-up, across instances

    // A bound payment: the step-up page's begin goes to A, the signed completion to B.
    const balance = async () =>
      (
        await sql.all<{ balance: bigint }>(
          `SELECT a."balance" FROM "Account" a JOIN "User" u ON u."id" = a."userId" WHERE u."email" = ? AND a."type" = 'CHECKING'`,
          user.email,
        )
      )[0].balance;
    const before = await balance();
    await fillTransfer(page, "ACME Ltd", "1250.00");
    await sendTransfer(page);
    await expect(page).toHaveURL(/\/step-up\//);
    const intentId = new URL(page.url()).pathname.split("/").pop()!;
    await confirmStepUp(page);
    await expect(page).toHaveURL(TRANSFER_PAGE);

    const forIntent = (action: string) =>
      proxy.log.filter((r) => r.action === action && r.bodyStart.includes(intentId));
    const served = (rows: ProxiedRequest[]) => rows.map((r) => `${r.backend} ${r.status}`);
    expect(served(forIntent(begin))).toEqual(["A 200"]);
    expect(served(forIntent(complete))).toEqual(["B 200"]);
    const payments = await sql.all<{ amount: bigint; sca: string }>(
      `SELECT t."amount", t."sca" FROM "Transfer" t JOIN "User" u ON u."id" = t."userId" WHERE u."email" = ? AND t."payeeId" IS NOT NULL`,
      user.email,
    );
    expect(payments).toEqual([{ amount: 125_000n, sca: "STEP_UP" }]); // moved once
    expect(await balance()).toBe(before - 125_000n);
    const intents = await sql.all<{ status: string }>(`SELECT "status" FROM "StepUpIntent" WHERE "id" = ?`, intentId);
    expect(intents).toEqual([{ status: "CONSUMED" }]);

    // Revocation: a second device's session, ended from the first one through A, is refused by B.
    const other = await browser.newContext({ baseURL: ORIGIN });
    try {
      const device = await other.newPage();
      await signIn(device, user);
      await expect(device).toHaveURL(/\/dashboard$/);
      const cookie = (await other.cookies()).map((c) => `${c.name}=${c.value}`).join("; ");
      const onB = () => request({ url: b.url, origin: ORIGIN }, "/dashboard", { headers: { cookie } });
      expect((await onB()).status).toBe(200);

      await page.goto("/settings/security");
      const rows = page.getByTestId("session-row");
      await expect(rows).toHaveCount(2);
      await rows.filter({ hasNotText: "This device" }).getByRole("button", { name: "End session" }).click();
      await expect(rows).toHaveCount(1);
      expect(proxy.log.filter((r) => r.action === revoke).map((r) => r.backend)).toEqual(["A"]);

      const refused = await onB();
      expect(refused.status).toBe(307);
      expect(refused.headers.location).toMatch(/\/login/);
    } finally {
      await other.close();
    }

    // Signing out through A: the old cookie, replayed to B, is refused too.
    const cookie = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join("; ");
    await page.getByRole("button", { name: "Sign out", exact: true }).click();
    await expect(page).toHaveURL(/\/login/);
    expect(proxy.log.filter((r) => r.action === signOut).map((r) => r.backend)).toEqual(["A"]);
    const replayed = await request({ url: b.url, origin: ORIGIN }, "/dashboard", { headers: { cookie } });
    expect(replayed.status).toBe(307);

    const count = (backend: string) => proxy.log.filter((r) => r.backend === backend).length;
    console.log(
      `two instances: ${proxy.log.length} requests through ${ORIGIN} (A served ${count("A")}, B served ${count("B")}); ` +
        `step-up ${intentId}: begin on A, completion on B; $1,250.00 moved once; revoked session and signed-out cookie refused by B`,
    );
  } finally {
    await sql.close();
  }
});

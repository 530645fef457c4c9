/** The production server's security headers (OWASP ASVS 5 V3.4) and what its error pages reveal. */
import { randomUUID } from "node:crypto";
import { nextActionCall, startOtherOrigin } from "./support/attacks";
import { fillTransfer, snapshot, TRANSFER_PAGE, reviewTransfer } from "./support/bank";
import { queryE2eDb } from "./support/e2e-db";
import { serverAction } from "./support/server-actions";
import { DEMO, expect, test } from "./fixtures";

const directives = (csp: string) =>
  new Map(
    csp
      .split(";")
      .map((d) => d.trim().split(/\s+/))
      .map(([name, ...values]) => [name, values]),
  );

test("pages get a strict, nonce-based CSP with a fresh nonce each time, and Next's scripts carry it", async ({
  page,
}) => {
  const nonces: string[] = [];
  for (let i = 0; i < 2; i++) {
    const response = await page.request.get("/login");
    const csp = directives(response.headers()["content-security-policy"] ?? "");
    const script = csp.get("script-src") ?? [];
    const nonce = script.find((v) => v.startsWith("'nonce-"))?.slice(7, -1) ?? "";
    expect(nonce.length).toBeGreaterThanOrEqual(22); // 16 random bytes
    expect(script).toContain("'strict-dynamic'");
    expect(script).not.toContain("'unsafe-inline'");
    expect(script).not.toContain("'unsafe-eval'");
    expect(csp.get("frame-ancestors")).toEqual(["'none'"]);
    expect(csp.get("object-src")).toEqual(["'none'"]);
    expect(csp.get("base-uri")).toEqual(["'none'"]);
    expect(csp.get("form-action")).toEqual(["'self'"]);
    const html = await response.text();
    expect(html).toContain(`nonce="${nonce}"`);
    expect(html.match(/<script(?![^>]*nonce=)[^>]*>/g) ?? [], "every script tag has the nonce").toEqual([]);
    nonces.push(nonce);
  }
  expect(nonces[0]).not.toBe(nonces[1]);
  // And the page works under it: the cspViolations fixture fails the test on any refusal.
  await page.goto("/login");
  await expect(page.getByRole("button", { name: "Sign in", exact: true })).toBeVisible();
});

test("every response gets the static headers, and none says what it runs on", async ({ page }) => {
  for (const path of ["/login", "/api/health", "/icon.svg", "/no-such-page"]) {
    const response = await page.request.get(path);
    const h = response.headers();
    expect(h["x-content-type-options"], path).toBe("nosniff");
    expect(h["referrer-policy"], path).toBe("strict-origin-when-cross-origin");
    expect(h["x-frame-options"], path).toBe("DENY");
    expect(h["permissions-policy"], path).toContain("publickey-credentials-get=(self)");
    expect(h["permissions-policy"], path).toContain("camera=()");
    // The browser's payment dialog (Secure Payment Confirmation) only for Vault's own pages.
    expect(h["permissions-policy"], path).toContain("payment=(self)");
    expect(h["x-powered-by"], path).toBeUndefined();
  }
});

test("/api/health says only ok, is never cached, and every response carries a request id for the logs", async ({
  page,
}) => {
  const response = await page.request.get("/api/health");
  expect(response.status()).toBe(200);
  expect(await response.text()).toBe(JSON.stringify({ status: "ok", database: "ok" }));
  expect(response.headers()["cache-control"]).toBe("no-store");
  expect(response.headers()["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
  // A load balancer's id is kept; anything that doesn't look like one is replaced.
  const given = await page.request.get("/login", { headers: { "x-request-id": "lb-7f3a9c21" } });
  expect(given.headers()["x-request-id"]).toBe("lb-7f3a9c21");
  const junk = await page.request.get("/login", { headers: { "x-request-id": "<script>" } });
  expect(junk.headers()["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
});

test("behind an https load balancer, the cookies get the __Host- and __Secure- prefixes and the Secure flag", async ({
  playwright,
  baseURL,
}) => {
  // The load balancer terminates TLS and says so with X-Forwarded-Proto; Auth.js (trustHost) then
  // serves "https" cookies. Raw headers, because a cookie jar on http:// would drop Secure cookies.
  const api = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { "x-forwarded-proto": "https" } });
  try {
    const csrf = await api.get("/api/auth/csrf");
    const csrfCookie = csrf
      .headersArray()
      .find((h) => h.name.toLowerCase() === "set-cookie" && h.value.startsWith("__Host-authjs.csrf-token="));
    expect(csrfCookie?.value).toMatch(/; Path=\/; HttpOnly; Secure; SameSite=Lax/i);
    expect(csrfCookie?.value).not.toMatch(/Domain=/i); // __Host- cookies are bound to the exact host
    const { csrfToken } = (await csrf.json()) as { csrfToken: string };
    const signIn = await api.post("/api/auth/callback/password", {
      form: { csrfToken, email: DEMO.bob.email, password: DEMO.bob.password },
      headers: { cookie: csrfCookie!.value.split(";")[0] },
      maxRedirects: 0,
    });
    const session = signIn
      .headersArray()
      .find((h) => h.name.toLowerCase() === "set-cookie" && h.value.startsWith("__Secure-authjs.session-token="));
    // Attributes in any order: Next re-serialises the response's cookies when the sign-in also sets one.
    const attributes = (cookie: string | undefined) =>
      new Set(
        (cookie ?? "")
          .split(";")
          .slice(1)
          .map((a) =>
            a
              .trim()
              .toLowerCase()
              .replace(/^expires=.*/, "expires"),
          ),
      );
    expect([...attributes(session?.value)].sort(), "session cookie").toEqual(
      ["expires", "httponly", "path=/", "samesite=lax", "secure"].sort(),
    );
    // Over plain http (no header) the same sign-in gets unprefixed cookies: the prefixes follow the scheme.
    const plain = await playwright.request.newContext({ baseURL });
    const plainCsrf = (await plain.get("/api/auth/csrf"))
      .headersArray()
      .find((h) => h.name.toLowerCase() === "set-cookie");
    expect(plainCsrf?.value).toMatch(/^authjs\.csrf-token=/);
    await plain.dispose();
  } finally {
    await api.dispose();
  }
});

test("missing pages are plain 404s with no stack trace or internals, signed out and signed in", async ({
  page,
  signedInCustomer: _signedIn,
}) => {
  // signed in: an unknown intent id is "not found" too
  for (const path of ["/step-up/not-a-real-intent-id-at-all", "/accounts/%00", "/no-such-page"]) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(404);
    expect(await page.locator("body").innerText(), path).not.toMatch(
      /node_modules|\bat .+\(.+:\d+:\d+\)|Error:|prisma/i,
    );
  }
  // Paths that aren't valid percent-encoding: a clear 400, never a 500, for pages and route handlers.
  for (const path of ["/accounts/%ff", "/step-up/%C3%28", "/transfers/%E0%A4%A", "/api/auth/%ff"]) {
    const response = await page.request.get(path);
    expect(response.status(), path).toBe(400);
    expect(await response.text(), path).toBe("Bad request: the address is not valid.");
  }
  await page.context().clearCookies();
  const response = await page.goto("/no-such-page");
  expect(response?.status()).toBe(404);
});

test("a server action POST from a foreign origin, or with none, is refused with 403 and audited; nothing moves", async ({
  page,
  signedInCustomer,
}) => {
  await fillTransfer(page, "Savings", "1.00");
  await reviewTransfer(page);
  const captured = nextActionCall(page, (body) => body.includes("idempotencyKey"));
  await page.getByRole("button", { name: "Send money" }).click();
  const call = await captured;
  await expect(page).toHaveURL(TRANSFER_PAGE); // the genuine, same-origin call worked
  const before = snapshot(signedInCustomer.email);
  const withoutOrigin = Object.fromEntries(Object.entries(call.headers).filter(([k]) => k !== "origin"));
  for (const origin of ["http://evil.example", "null", "http://localhost:9999", undefined]) {
    const fresh = call.body.replace(/[0-9a-f]{32}/, randomUUID().replaceAll("-", "")); // a new idempotency key
    const response = await page.request.fetch(call.url, {
      method: "POST",
      headers: origin ? { ...withoutOrigin, origin } : withoutOrigin,
      data: fresh,
    });
    expect(response.status(), String(origin)).toBe(403);
  }
  expect(snapshot(signedInCustomer.email)).toEqual(before);
  const audited = queryE2eDb<{ reason: string }>(
    `SELECT reason FROM "AuditEvent" WHERE action = 'security.cross_origin_action' AND metadata LIKE '%evil.example%'`,
  );
  expect(audited.length).toBeGreaterThanOrEqual(1);
});

test("a cross-site HTML form naming a server action in its fields (no Next-Action header) is refused with 403 and audited once; nothing moves", async ({
  page,
  signedInCustomer,
  baseURL,
}) => {
  // Issue 16, finding 8: what a page on another origin can make a signed-in customer's browser post.
  // localhost on another port is the same site, so the SameSite=Lax session cookie goes along.
  const [from, to] = queryE2eDb<{ id: string }>(
    `SELECT a.id FROM "Account" a JOIN "User" u ON u.id = a.userId WHERE u.email = ? ORDER BY a.id`,
    signedInCustomer.email,
  ).map((r) => r.id);
  const action = serverAction("createTransferAction");
  const other = await startOtherOrigin();
  try {
    const before = snapshot(signedInCustomer.email);
    await page.goto(other.origin);
    const target = new URL(action.routes[0], baseURL).href;
    const fields = {
      $ACTION_REF_1: "",
      "$ACTION_1:0": JSON.stringify({ id: action.id, bound: "$@1" }),
      "$ACTION_1:1": "[null]",
      $ACTION_KEY: "k1",
      fromAccountId: from,
      to: `account:${to}`,
      amount: "1.00",
      memo: "cross-site form",
      idempotencyKey: randomUUID().replaceAll("-", ""),
    };
    const answered = page.waitForResponse((r) => r.url() === target && r.request().method() === "POST");
    await page.evaluate(
      ({ target, fields }) => {
        const form = Object.assign(document.createElement("form"), {
          method: "post",
          enctype: "multipart/form-data",
          action: target,
        });
        for (const [name, value] of Object.entries(fields))
          form.append(Object.assign(document.createElement("input"), { type: "hidden", name, value }));
        document.body.append(form);
        form.submit();
      },
      { target, fields },
    );
    const response = await answered;
    expect(response.status()).toBe(403);
    expect(await response.request().headerValue("origin")).toBe(other.origin);
    expect(snapshot(signedInCustomer.email)).toEqual(before);
    const audited = queryE2eDb<{ reason: string; metadata: string }>(
      `SELECT reason, metadata FROM "AuditEvent" WHERE action = 'security.cross_origin_action' AND metadata LIKE ?`,
      `%${other.origin}%`,
    );
    expect(audited).toHaveLength(1);
    expect(audited[0].reason).toBe("foreign_origin");
    expect(JSON.parse(audited[0].metadata)).toMatchObject({ kind: "form", path: action.routes[0] });
  } finally {
    await other.close();
  }
});

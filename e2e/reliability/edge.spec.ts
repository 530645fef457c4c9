/**
 * Issue 16, the edge findings, over real HTTP against `next start`:
 * - finding 4: X-Forwarded-For counts only when a proxy the operator configured (TRUSTED_PROXY_HOPS)
 *   put it there; directly, a forged one changes nothing, and behind the proxy the address it saw counts;
 * - 10e: oversized bodies on the API and OAuth routes get 413 with a JSON error, without the server
 *   holding them in memory;
 * - 10g: a callbackUrl that doesn't parse is handled, with no "Invalid URL" stack in the log.
 */
import { createHash, randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import http from "node:http";
import { DEMO } from "../fixtures";
import type { AppServer } from "../support/app-server";
import { startReverseProxy } from "../support/reverse-proxy";
import {
  ACTION_HEADERS,
  cookiesOf,
  encodeArgs,
  request,
  serverAction,
  type Endpoint,
  type HttpResult,
} from "../support/server-actions";
import { freshDatabase, openSql, type Sql } from "../support/sql";
import { expect, test } from "./fixtures";

const BUSY = "Too many sign-in attempts right now";

/** A password sign-in through Auth.js' own endpoints with extra headers on both requests; the cookies it set. */
async function passwordSignIn(
  endpoint: Endpoint,
  email: string,
  password: string,
  headers: Record<string, string>,
): Promise<{ cookie: string; response: HttpResult }> {
  const csrf = await request(endpoint, "/api/auth/csrf", { headers });
  const { csrfToken } = JSON.parse(csrf.body) as { csrfToken: string };
  const response = await request(endpoint, "/api/auth/callback/password", {
    method: "POST",
    headers: {
      ...headers,
      cookie: cookiesOf(csrf),
      origin: endpoint.origin,
      "content-type": "application/x-www-form-urlencoded",
    },
    body: new URLSearchParams({ csrfToken, email, password }).toString(),
  });
  return { cookie: cookiesOf(response), response };
}

/** The login page's passkey sign-in options action, as the page calls it, with extra headers. */
async function passkeyOptions(endpoint: Endpoint, headers: Record<string, string>): Promise<HttpResult> {
  const action = serverAction("passkeySignInOptionsAction");
  const { body, contentType } = await encodeArgs([]);
  return request(endpoint, action.routes[0], {
    method: "POST",
    headers: {
      ...ACTION_HEADERS,
      "next-action": action.id,
      origin: endpoint.origin,
      "content-type": contentType,
      ...headers,
    },
    body,
  });
}

const FORGED = "203.0.113.";

async function addressesSeen(sql: Sql) {
  const column = async (query: string) => (await sql.all<{ v: string | null }>(query)).map((r) => r.v);
  return {
    sessions: await column(`SELECT "ip" AS v FROM "Session"`),
    audit: await column(`SELECT "ip" AS v FROM "AuditEvent"`),
    limitKeys: await column(`SELECT "key" AS v FROM "RateLimiterFlexible"`),
  };
}

test("finding 4, no trusted proxy: a forged X-Forwarded-For changes nothing (limit keys, security log, session list)", async ({
  apps,
}) => {
  const databaseUrl = await freshDatabase("sqlite", "vault_rel_xff_direct");
  apps.prepare(databaseUrl);
  const app = await apps.start({ databaseUrl });
  const sql = await openSql(databaseUrl);
  try {
    const { cookie } = await passwordSignIn(app, DEMO.alice.email, DEMO.alice.password, {
      "x-forwarded-for": `${FORGED}1`,
    });
    expect(cookie).toMatch(/session-token=/);
    await passwordSignIn(app, DEMO.bob.email, "not bob's password", { "x-forwarded-for": `${FORGED}2` });
    // A different address on every request: no per-address limit to escape or to fill for someone else.
    for (let i = 0; i < 35; i++) {
      const options = await passkeyOptions(app, { "x-forwarded-for": `${FORGED}${10 + i}` });
      expect(options.status).toBe(200);
      expect(options.body).not.toContain(BUSY);
    }
    const refused = await request(app, "/transfers/new", {
      method: "POST",
      headers: { "x-forwarded-for": `${FORGED}3`, "content-type": "application/x-www-form-urlencoded" },
      body: "a=1",
    });

    const seen = await addressesSeen(sql);
    console.log(
      `direct: session addresses ${JSON.stringify(seen.sessions)}, audit addresses ${JSON.stringify([...new Set(seen.audit)])}, limit keys ${JSON.stringify(seen.limitKeys)}`,
    );
    expect(seen.sessions.length).toBeGreaterThan(0);
    expect(seen.sessions.filter((ip) => ip !== null)).toEqual([]);
    expect(seen.audit.filter((ip) => ip !== null)).toEqual([]);
    expect(seen.limitKeys.filter((key) => key?.includes(FORGED))).toEqual([]);
    // Nor on the pages that show addresses: the session list and the dashboard's recent sign-ins.
    for (const page of ["/settings/security", "/dashboard"]) {
      const shown = await request(app, page, { headers: { cookie } });
      expect(shown.status, page).toBe(200);
      expect(shown.body, page).not.toContain(FORGED);
    }
    expect(refused.status, "a form post with no Origin (audited above)").toBe(403);
  } finally {
    await sql.close();
  }
});

test("finding 4, behind one trusted proxy (TRUSTED_PROXY_HOPS=1): the address the proxy saw counts, whatever the client wrote", async ({
  apps,
}) => {
  const databaseUrl = await freshDatabase("sqlite", "vault_rel_xff_proxied");
  apps.prepare(databaseUrl);
  // The proxy first, on a free port: the app must trust its origin.
  const behind: { app?: AppServer } = {};
  const proxy = await startReverseProxy(0, () => behind.app!);
  const origin = proxy.origin;
  const app = await apps.start({ databaseUrl, origin, env: { TRUSTED_PROXY_HOPS: "1" } });
  behind.app = app;
  const endpoint = { url: proxy.url, origin };
  const sql = await openSql(databaseUrl);
  try {
    const { cookie } = await passwordSignIn(endpoint, DEMO.alice.email, DEMO.alice.password, {
      "x-forwarded-for": `${FORGED}1`,
    });
    expect(cookie).toMatch(/session-token=/);
    // 30 a minute per client: a new forged address on each request doesn't make a new client.
    const answers: string[] = [];
    for (let i = 0; i < 31; i++) {
      const options = await passkeyOptions(endpoint, { "x-forwarded-for": `${FORGED}${10 + i}` });
      expect(options.status).toBe(200);
      answers.push(options.body.includes(BUSY) ? "busy" : "ok");
    }
    console.log(
      `proxied: 31 option requests with 31 forged addresses: ${answers.filter((a) => a === "ok").length} ok, ${answers.filter((a) => a === "busy").length} busy`,
    );
    expect(answers.slice(0, 30)).toEqual(Array(30).fill("ok"));
    expect(answers[30]).toBe("busy");

    const seen = await addressesSeen(sql);
    console.log(
      `proxied: session addresses ${JSON.stringify(seen.sessions)}, audit addresses ${JSON.stringify([...new Set(seen.audit)])}, limit keys ${JSON.stringify(seen.limitKeys)}`,
    );
    expect(seen.sessions).toEqual(["127.0.0.1"]);
    expect(seen.audit.length).toBeGreaterThan(0);
    expect(seen.audit.filter((ip) => ip !== "127.0.0.1")).toEqual([]);
    expect(seen.limitKeys.filter((key) => key?.includes(FORGED))).toEqual([]);
    expect(seen.limitKeys.some((key) => key?.endsWith("127.0.0.1"))).toBe(true);
    const shown = await request(endpoint, "/settings/security", { headers: { cookie } });
    expect(shown.body).toContain("127.0.0.1");
    expect(shown.body).not.toContain(FORGED);
  } finally {
    await sql.close();
    await proxy.close();
  }
});

/** The server's resident memory in kB (Linux). */
const rssKb = (server: AppServer) =>
  Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${server.pid}/status`, "utf8"))![1]);

/**
 * POSTs `bytes` bytes (chunked, or with a Content-Length), 1 MB at a time, stopping as soon as the
 * answer arrives; samples the server's memory meanwhile.
 */
function postLarge(
  server: AppServer,
  path: string,
  bytes: number,
  options: { chunked: boolean; headers?: Record<string, string> },
) {
  const started = performance.now();
  let peakKb = rssKb(server);
  const sampler = setInterval(() => (peakKb = Math.max(peakKb, rssKb(server))), 10);
  return new Promise<{ status: number; body: string; ms: number; sentMb: number; peakKb: number }>(
    (resolve, reject) => {
      let sent = 0;
      let answered = false;
      const req = http.request(`${server.url}${path}`, {
        method: "POST",
        headers: {
          host: new URL(server.origin).host,
          ...options.headers,
          ...(options.chunked ? {} : { "content-length": String(bytes) }),
        },
      });
      req.on("response", (res) => {
        answered = true;
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          clearInterval(sampler);
          resolve({
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString("utf8"),
            ms: performance.now() - started,
            sentMb: sent / 2 ** 20,
            peakKb,
          });
          req.destroy();
        });
      });
      req.on("error", (err) => {
        if (!answered) {
          clearInterval(sampler);
          reject(err);
        }
      });
      const chunk = Buffer.alloc(2 ** 20, "a");
      const write = () => {
        while (!answered && sent < bytes) {
          const part = chunk.subarray(0, Math.min(chunk.length, bytes - sent));
          sent += part.length;
          if (!req.write(part)) return void req.once("drain", write);
        }
        if (!answered) req.end();
      };
      write();
    },
  );
}

test("10e: oversized bodies on the API and OAuth routes get 413 with a JSON error, quickly, without the server holding them", async ({
  apps,
}) => {
  const databaseUrl = await freshDatabase("sqlite", "vault_rel_body_limits");
  apps.prepare(databaseUrl);
  const app = await apps.start({ databaseUrl });
  const sql = await openSql(databaseUrl);
  try {
    // An access token of Alice's, so the transfer route reads its body (it authenticates first).
    const aliceId = (await sql.all<{ id: string }>(`SELECT "id" FROM "User" WHERE "email" = ?`, DEMO.alice.email))[0]
      .id;
    const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");
    const token = `vlt_at_${randomBytes(32).toString("base64url")}`;
    const [now, later] = [new Date().toISOString(), new Date(Date.now() + 86_400_000).toISOString()];
    await sql.all(
      `INSERT INTO "ApiClient" ("id", "userId", "name", "scopes", "secretHash", "acr", "authTime", "createdAt", "expiresAt") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      "vlt_client_limits",
      aliceId,
      "limits",
      "transfer:funds",
      sha256("unused"),
      "urn:vault:acr:phr",
      now,
      now,
      later,
    );
    await sql.all(
      `INSERT INTO "ApiAccessToken" ("id", "tokenHash", "clientId", "userId", "scopes", "acr", "authTime", "createdAt", "expiresAt") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      "limits-token",
      sha256(token),
      "vlt_client_limits",
      aliceId,
      "transfer:funds",
      "urn:vault:acr:phr",
      now,
      now,
      later,
    );
    const form = { "content-type": "application/x-www-form-urlencoded" };
    const json = {
      "content-type": "application/json",
      authorization: `Bearer ${token}`,
      "idempotency-key": "limits-0123456789abcdef",
    };
    const cases: [string, string, number, { chunked: boolean; headers: Record<string, string> }][] = [
      ["token, 200 MB with Content-Length", "/api/v1/oauth/token", 200 * 2 ** 20, { chunked: false, headers: form }],
      ["token, 200 MB chunked", "/api/v1/oauth/token", 200 * 2 ** 20, { chunked: true, headers: form }],
      ["introspect, 9 kB chunked", "/api/v1/oauth/introspect", 9 * 1024, { chunked: true, headers: form }],
      ["transfers, 200 MB with Content-Length", "/api/v1/transfers", 200 * 2 ** 20, { chunked: false, headers: json }],
      ["transfers, 200 MB chunked", "/api/v1/transfers", 200 * 2 ** 20, { chunked: true, headers: json }],
    ];
    // Each route once with a small body first, so loading its code isn't counted as memory for the body.
    for (const [, path, , options] of cases)
      await request(app, path, { method: "POST", headers: options.headers, body: "x=1" });
    // What merely receiving 200 MB costs the server (Node's buffers churn faster than the collector
    // runs): the same bytes to a route that never reads them. A route may add little to that.
    const baselineBefore = rssKb(app);
    const baseline = await postLarge(app, "/api/health", 200 * 2 ** 20, { chunked: false, headers: form });
    const baselineMb = (baseline.peakKb - baselineBefore) / 1024;
    console.log(
      `10e baseline, 200 MB to /api/health (not read): HTTP ${baseline.status} after ${baseline.ms.toFixed(0)} ms, server memory +${baselineMb.toFixed(1)} MB at its peak`,
    );
    for (const [label, path, bytes, options] of cases) {
      const before = rssKb(app);
      const result = await postLarge(app, path, bytes, options);
      const grewMb = (result.peakKb - before) / 1024;
      console.log(
        `10e ${label}: HTTP ${result.status} after ${result.ms.toFixed(0)} ms, ${result.sentMb.toFixed(2)} MB sent, server memory +${grewMb.toFixed(1)} MB at its peak`,
      );
      expect(result.status, label).toBe(413);
      const body = JSON.parse(result.body) as { error?: unknown; error_description?: unknown };
      expect(typeof body.error, label).toBe("string");
      expect(body.error_description, label).toMatch(/too large/);
      expect(result.ms, label).toBeLessThan(10_000);
      expect(grewMb, label).toBeLessThan(Math.max(baselineMb, 0) + 25);
    }
    // Within the limits the same routes still read their bodies.
    const small = await request(app, "/api/v1/oauth/token", {
      method: "POST",
      headers: form,
      body: "grant_type=client_credentials&client_id=nobody&client_secret=x",
    });
    expect(small.status).toBe(401);
  } finally {
    await sql.close();
  }
});

test("10g: a callbackUrl that isn't a URL (http://localhost:PORT.evil.example/) is handled, with no Invalid URL stack in the log", async ({
  apps,
}) => {
  const databaseUrl = await freshDatabase("sqlite", "vault_rel_callback_url");
  apps.prepare(databaseUrl);
  const app = await apps.start({ databaseUrl });
  const bad = `${app.origin}.evil.example/`;
  const csrf = await request(app, "/api/auth/csrf");
  const { csrfToken } = JSON.parse(csrf.body) as { csrfToken: string };
  const post = (path: string, fields: Record<string, string>, cookie = cookiesOf(csrf)) =>
    request(app, path, {
      method: "POST",
      headers: { cookie, origin: app.origin, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ csrfToken, ...fields }).toString(),
    });
  const answers = {
    "sign-in, right password": await post("/api/auth/callback/password", {
      email: DEMO.alice.email,
      password: DEMO.alice.password,
      callbackUrl: bad,
    }),
    "sign-in, wrong password": await post("/api/auth/callback/password", {
      email: DEMO.bob.email,
      password: "wrong",
      callbackUrl: bad,
    }),
    "sign-out": await post("/api/auth/signout", { callbackUrl: bad }),
    "sign-in page": await request(app, `/api/auth/signin?callbackUrl=${encodeURIComponent(bad)}`),
  };
  for (const [label, response] of Object.entries(answers)) {
    const location = String(response.headers.location ?? "");
    console.log(`10g ${label}: HTTP ${response.status} ${location}`);
    expect(response.status, label).toBeLessThan(500);
    expect(location, label).not.toContain("evil.example");
    expect(location, label).not.toContain("error=Configuration");
  }
  expect(answers["sign-in, right password"].status).toBe(302);
  expect(cookiesOf(answers["sign-in, right password"])).toMatch(/session-token=/);
  expect(app.output()).not.toMatch(/Invalid URL/);
  expect(app.output()).not.toMatch(/\n\s+at \S.*:\d+:\d+/);
});

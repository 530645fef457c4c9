/**
 * Issue 5, "Fuzz": at least 500 generated malformed or hostile inputs to every server action (found
 * in the build's manifest, so new ones are covered) and every route handler, signed in (with forged
 * ids of another customer's objects) and anonymous. No 5xx, no state change, a clear error each time.
 */
import { createHash, randomBytes } from "node:crypto";
import fc from "fast-check";
import { DEMO } from "../fixtures";
import {
  ACTION_HEADERS,
  callAction,
  encodeArgs,
  formData,
  postAction,
  request,
  serverAction,
  serverActions,
  signInCookie,
  type HttpResult,
} from "../support/server-actions";
import type { AppServer } from "../support/app-server";
import { inPool } from "../support/pool";
import { freshDatabase, openSql, type Sql } from "../support/sql";
import { expect, test } from "./fixtures";
import { formActionBody, formPostBody, hostileArgs, hostileText, rawBody } from "./hostile-inputs";

/** The floor: every target gets at least this many cases, however slow the machine. */
const PER_TARGET = 500;
/**
 * After the floor, more rounds of EXTRA_PER_TARGET cases per target (new seeds) while the run is
 * younger than BUDGET_S (FUZZ_BUDGET_S): a fast machine fuzzes more, a slow one no longer than the
 * floor. The floor took 420 s on a 2-core machine running a second suite (one server; two take about
 * two thirds of one's time), hence the test's 10-minute timeout.
 */
const BUDGET_S = Number(process.env.FUZZ_BUDGET_S ?? 45);
const EXTRA_PER_TARGET = 50;
const FUZZ_TIMEOUT_MS = 600_000;
/** Requests in flight over both servers: enough that each has a few waiting while it answers one. */
const CONCURRENCY = 16;
/**
 * Actions that take no input: whatever is sent, a signed-in call is a genuine request (sign out, new
 * recovery codes that wait for step-up, ...), so they are fuzzed anonymously, where a clean answer is
 * a redirect to /login, or, for the public passkey sign-in options, the options themselves.
 */
const TAKES_NO_INPUT = new Set([
  "signOutAction",
  "regenerateRecoveryCodesAction",
  "startRegistrationAction",
  "revokeOtherSessionsAction",
  "passkeySignInOptionsAction",
]);
/** Actions that answer nothing (a form posts and the page reloads): with bad input, nothing happens. */
const ANSWERS_NOTHING = new Set(["revokeSessionAction", "cancelStepUpAction", "editStepUpAction"]);

/** Everything a rejected request must leave as it was (audit events, rate-limiter rows and WebAuthn challenges may grow). */
async function businessState(sql: Sql) {
  const tables = {
    users: `SELECT "id", "email", "name", "passwordHash", "passwordChangedAt", "frozenAt", "unfreezeAt" FROM "User" ORDER BY "id"`,
    freezeLinks: `SELECT "id", "userId", "usedAt" FROM "FreezeLink" ORDER BY "id"`,
    noticeOptOuts: `SELECT "userId", "kind" FROM "NoticeOptOut" ORDER BY "userId", "kind"`,
    accounts: `SELECT "id", "userId", "number", "balance" FROM "Account" ORDER BY "id"`,
    ledger: `SELECT "id", "accountId", "amount" FROM "LedgerEntry" ORDER BY "id"`,
    transfers: `SELECT "id", "userId", "amount", "idempotencyKey" FROM "Transfer" ORDER BY "id"`,
    payees: `SELECT "id", "userId", "name", "iban", "removedAt", "firstPaidAt" FROM "Payee" ORDER BY "id"`,
    payouts: `SELECT * FROM "PayoutDestination" ORDER BY "id"`,
    passkeys: `SELECT "id", "userId", "nickname", "counter" FROM "Passkey" ORDER BY "id"`,
    intents: `SELECT "id", "status", "payloadHash" FROM "StepUpIntent" ORDER BY "id"`,
    sessions: `SELECT "id", "userId", "revokedAt" FROM "Session" ORDER BY "id"`, // lastSeenAt moves with every request
    apiClients: `SELECT "id", "userId", "scopes", "revokedAt" FROM "ApiClient" ORDER BY "id"`, // lastUsedAt moves with every token request
    accessTokens: `SELECT "id", "scopes", "intentId", "consumedAt" FROM "ApiAccessToken" ORDER BY "id"`,
    codes: `SELECT "codeHash", "consumedAt" FROM "ApiAuthorizationCode" ORDER BY "codeHash"`,
  };
  const state: Record<string, string> = {};
  for (const [name, query] of Object.entries(tables)) {
    state[name] = JSON.stringify(await sql.all(query), (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
  }
  return state;
}

const STACK_FRAME = /\n\s+at \S.*:\d+:\d+/;
const INTERNALS = /\b(TypeError|ReferenceError|SyntaxError|RangeError|PrismaClient\w*Error|Invalid `prisma\.)/;

/** Why an answer to a hostile action call is not a clear error, or null if it is one. */
function unclearAction(action: string, response: HttpResult): string | null {
  if (response.status >= 500) return `HTTP ${response.status}`;
  if (STACK_FRAME.test(response.body) || INTERNALS.test(response.body)) return "internals in the body";
  if (response.status >= 400) return null; // a clean refusal
  const location = response.redirect ?? (response.status >= 300 ? String(response.headers.location ?? "") : null);
  if (location !== null) {
    if (/^(https?:\/\/[^/]+)?\/login\b/.test(location)) return null;
    if (
      (action === "cancelStepUpAction" || action === "editStepUpAction" || action === "cancelApiStepUpAction") &&
      /^(https?:\/\/[^/]+)?\/dashboard$/.test(location)
    )
      return null; // "not found": back home
    // No SSO on the fuzz server: back to the step-up page, which says why, or home for a malformed id.
    if (
      action === "beginSsoStepUpAction" &&
      /^(https?:\/\/[^/]+)?\/(dashboard|step-up\/[A-Za-z0-9_-]+\?sso=not_available)$/.test(location)
    )
      return null;
    return `redirect to ${location}`;
  }
  if (/"(message|error)":"[^"]+"/.test(response.body)) return null; // the action's own message
  if (action === "passkeySignInOptionsAction" && /"ok":true,"options":/.test(response.body)) return null;
  if (ANSWERS_NOTHING.has(action) && /^0:\{[^\n]*\}\n1:null\n?$/.test(response.body)) return null;
  return `HTTP ${response.status} without a message: ${response.body.slice(0, 160).replace(/\n/g, " | ")}`;
}

/** The API's answers: anything but a 5xx or internals, and every error is its JSON error object. */
function unclearApi(response: HttpResult): string | null {
  const problem = unclearRoute(response);
  if (problem || response.status < 400) return problem;
  try {
    const body = JSON.parse(response.body) as { error?: unknown; error_description?: unknown };
    if (typeof body.error === "string" && typeof body.error_description === "string") return null;
  } catch {
    // not JSON: reported below
  }
  return `HTTP ${response.status} without an error object: ${response.body.slice(0, 160)}`;
}

/** Why an answer from a route handler is not acceptable: it may succeed (health is health) but never crash or leak. */
function unclearRoute(response: HttpResult): string | null {
  if (response.status >= 500) return `HTTP ${response.status}`;
  if (STACK_FRAME.test(response.body) || INTERNALS.test(response.body)) return "internals in the body";
  return null;
}

type Case = {
  target: string;
  caller: string;
  /** Sends the case to one of the servers (they share the database and the secret). */
  send: (app: AppServer) => Promise<HttpResult>;
  judge: (r: HttpResult) => string | null; /** What was sent, for the failure message (computed only on failure). */
  describe: () => string;
};

/**
 * Sends the cases, CONCURRENCY at a time, to the servers in turn, adding to `into` (failures and the
 * count per target).
 */
async function runCases(
  servers: AppServer[],
  cases: Case[],
  into = { failures: [] as string[], tried: {} as Record<string, number> },
) {
  const { failures, tried } = into;
  let sent = 0;
  await inPool(cases, CONCURRENCY, async (c) => {
    tried[c.target] = (tried[c.target] ?? 0) + 1;
    const problem = await c
      .send(servers[sent++ % servers.length])
      .then(c.judge, (err: Error) => `no answer: ${err.message}`);
    if (problem) failures.push(`${c.target} (${c.caller}, ${c.describe()}): ${problem}`);
  });
  return { failures, tried };
}

test("hostile inputs to every server action and route handler: no 5xx, no state change, a clear error", async ({
  apps,
}) => {
  test.setTimeout(FUZZ_TIMEOUT_MS);
  const databaseUrl = await freshDatabase("sqlite", "vault_rel_fuzz");
  apps.prepare(databaseUrl);
  // Two servers on one database, one per core: the fuzz is bound by the server's single thread (about
  // 7 ms of CPU a request), and every case goes to one or the other, signed in with the same session.
  const [app, app2] = await Promise.all([
    apps.start({ databaseUrl, name: "A" }),
    apps.start({ databaseUrl, name: "B" }),
  ]);
  const servers = [app, app2];
  const sql = await openSql(databaseUrl);
  try {
    const alice = await signInCookie(app, DEMO.alice.email, DEMO.alice.password);
    // Bob's objects: what a malicious Alice would try to reach.
    const forged = (
      await sql.all<{ id: string }>(
        `SELECT a."id" FROM "Account" a JOIN "User" u ON u."id" = a."userId" WHERE u."email" = ?
       UNION ALL SELECT p."id" FROM "Payee" p JOIN "User" u ON u."id" = p."userId" WHERE u."email" = ?
       UNION ALL SELECT s."id" FROM "Session" s JOIN "User" u ON u."id" = s."userId" WHERE u."email" = ?
       UNION ALL SELECT "id" FROM "Transfer" WHERE "userId" = (SELECT "id" FROM "User" WHERE "email" = ?)`,
        DEMO.bob.email,
        DEMO.bob.email,
        DEMO.bob.email,
        DEMO.bob.email,
      )
    ).map((r) => r.id);
    // A second session of Bob, so forged session ids name a live one.
    await signInCookie(app, DEMO.bob.email, DEMO.bob.password);
    forged.push(
      ...(
        await sql.all<{ id: string }>(
          `SELECT "id" FROM "Session" WHERE "userId" = (SELECT "id" FROM "User" WHERE "email" = ?)`,
          DEMO.bob.email,
        )
      ).map((r) => r.id),
    );
    const aliceAccount = (
      await sql.all<{ id: string }>(
        `SELECT a."id" FROM "Account" a JOIN "User" u ON u."id" = a."userId" WHERE u."email" = ? LIMIT 1`,
        DEMO.alice.email,
      )
    )[0].id;
    // An API token of Alice's with every scope, so the API is fuzzed past authentication too.
    const aliceId = (await sql.all<{ id: string }>(`SELECT "id" FROM "User" WHERE "email" = ?`, DEMO.alice.email))[0]
      .id;
    const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");
    const accessToken = `vlt_at_${randomBytes(32).toString("base64url")}`;
    const [now, later] = [new Date().toISOString(), new Date(Date.now() + 86_400_000).toISOString()];
    await sql.all(
      `INSERT INTO "ApiClient" ("id", "userId", "name", "scopes", "secretHash", "acr", "authTime", "createdAt", "expiresAt") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      "vlt_client_fuzz",
      aliceId,
      "fuzz",
      "accounts:read transfers:read transfer:funds",
      sha256(`vlt_pat_${randomBytes(32).toString("base64url")}`),
      "urn:vault:acr:phr",
      now,
      now,
      later,
    );
    await sql.all(
      `INSERT INTO "ApiAccessToken" ("id", "tokenHash", "clientId", "userId", "scopes", "acr", "authTime", "createdAt", "expiresAt") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      "fuzz-token",
      sha256(accessToken),
      "vlt_client_fuzz",
      aliceId,
      "accounts:read transfers:read transfer:funds",
      "urn:vault:acr:phr",
      now,
      now,
      later,
    );
    const before = await businessState(sql);

    const actions = serverActions();
    expect(
      actions.filter((a) => a.routes.length === 0).map((a) => a.name),
      "actions with no page to post to",
    ).toEqual([]);
    const seed = Date.now() % 1_000_000;
    /** `perTarget` generated cases for every target, from fast-check's `seed`. */
    const makeCases = (seed: number, perTarget: number): Case[] => {
      const cases: Case[] = [];
      for (const action of actions) {
        // A page that uses the action; dynamic segments get one of Alice's ids or a forged one.
        const path = action.routes[0].replace("[id]", aliceAccount).replace(/\[[^\]]+\]/g, forged[0]);
        const callers = TAKES_NO_INPUT.has(action.name)
          ? [["anonymous", ""]]
          : [
              ["anonymous", ""],
              ["alice", alice],
            ];
        const judge = (response: HttpResult) => unclearAction(action.name, response);
        const encoded = fc.sample(hostileArgs(forged), { numRuns: Math.ceil(perTarget * 0.7), seed });
        const raw = fc.sample(rawBody, { numRuns: Math.ceil(perTarget * 0.3), seed });
        encoded.forEach((args, i) => {
          const [caller, cookie] = callers[i % callers.length];
          cases.push({
            target: action.name,
            caller,
            describe: () => `React reply ${fc.stringify(args).slice(0, 200)}`,
            send: (app) => callAction(app, path, action, args, cookie),
            judge,
          });
        });
        raw.forEach((body, i) => {
          const [caller, cookie] = callers[i % callers.length];
          cases.push({
            target: action.name,
            caller,
            describe: () =>
              `${body.label} ${body.contentType}: ${JSON.stringify(body.body.subarray(0, 80).toString("latin1"))}`,
            send: (app) => postAction(app, path, action.id, body.body, body.contentType, cookie),
            judge,
          });
        });
      }
      // Route handlers: app/api/health and Auth.js' app/api/auth/[...nextauth], GET and POST, hostile paths, queries and bodies.
      const texts = fc.sample(hostileText(forged), { numRuns: perTarget, seed });
      const bodies = fc.sample(rawBody, { numRuns: perTarget, seed: seed + 1 });
      const authPaths = [
        "session",
        "csrf",
        "providers",
        "signin",
        "signout",
        "callback/password",
        "callback/passkey",
        "error",
        "signin/password",
      ];
      texts.forEach((text, i) => {
        const [caller, cookie] = i % 2 ? ["alice", alice] : ["anonymous", ""];
        const q = new URLSearchParams({ v: text.slice(0, 2000) }).toString().slice(2); // lone surrogates become U+FFFD
        const body = bodies[i];
        const headers = (app: AppServer) => ({ cookie, "content-type": body.contentType, origin: app.origin });
        cases.push({
          target: "/api/health",
          caller,
          describe: () => (i % 2 ? `POST ${body.label}` : `GET ?x=${q.slice(0, 80)}`),
          send: (app) =>
            i % 2
              ? request(app, `/api/health?x=${q}`, { method: "POST", headers: headers(app), body: body.body })
              : request(app, `/api/health?x=${q}`, { headers: { cookie } }),
          judge: unclearRoute,
        });
        const authPath = i % 3 === 0 ? q || "x" : authPaths[i % authPaths.length];
        cases.push({
          target: "/api/auth/*",
          caller,
          describe: () => `${i % 2 ? "POST" : "GET"} /api/auth/${authPath.slice(0, 80)}`,
          send: (app) =>
            i % 2
              ? request(app, `/api/auth/${authPath}`, {
                  method: "POST",
                  headers: headers(app),
                  body: i % 4 === 1 ? `csrfToken=${q}&email=${q}&password=${q}&response=${q}` : body.body,
                })
              : request(app, `/api/auth/${authPath}?callbackUrl=${q}&error=${q}`, { headers: { cookie } }),
          judge: unclearRoute,
        });
      });

      // The bearer-token API (app/api/v1) and the page apps send customers to: bad tokens, Alice's real
      // token with hostile ids, bodies, keys and queries, and hostile token requests.
      const apiTexts = fc.sample(hostileText(forged), { numRuns: perTarget, seed: seed + 2 });
      apiTexts.forEach((text, i) => {
        const q = new URLSearchParams({ v: text.slice(0, 500) }).toString().slice(2); // lone surrogates become U+FFFD
        const body = bodies[i];
        const bearer = i % 4 === 0 ? `Bearer ${q}` : i % 4 === 1 ? q : `Bearer ${accessToken}`;
        // An id of "." or ".." is folded away by URL parsing (RFC 3986 §5.2.4), so the path reaches no route handler: always sent.
        const dotSegment = [".", ".."][i];
        const id = dotSegment ?? (i % 3 === 0 ? forged[i % forged.length] : i % 3 === 1 ? aliceAccount : q || "x");
        // Alice's own account with her real token would be a real reveal (and, Alice having no passkey, a stored intent).
        const revealId = dotSegment ?? (i % 2 ? forged[i % forged.length] : q || "x");
        const api = (target: string, path: string, options: Parameters<typeof request>[2]) =>
          cases.push({
            target,
            caller: bearer.includes(accessToken) ? "alice's token" : "bad token",
            describe: () => `${options?.method ?? "GET"} ${path.slice(0, 100)}`,
            send: (app) => request(app, path, options),
            judge: unclearApi,
          });
        api("GET /api/v1/accounts", `/api/v1/accounts?x=${q}`, { headers: { authorization: bearer } });
        api("GET /api/v1/accounts/:id/transactions", `/api/v1/accounts/${id}/transactions?page=${q}`, {
          headers: { authorization: bearer },
        });
        api("GET /api/v1/accounts/:id/number", `/api/v1/accounts/${revealId}/number`, {
          headers: { authorization: bearer },
        });
        const json =
          i % 2
            ? JSON.stringify({
                from_account_id: i % 5 ? aliceAccount : text,
                to: `${["payee", "account", text][i % 3]}:${forged[i % forged.length]}`,
                amount: text,
                memo: text,
              })
            : body.body;
        api("POST /api/v1/transfers", "/api/v1/transfers", {
          method: "POST",
          headers: {
            authorization: bearer,
            "content-type": i % 2 ? "application/json" : body.contentType,
            "idempotency-key": i % 3 ? `fuzz-key-${i}-0123456789` : q.slice(0, 100),
          },
          body: json,
        });
        const grant = ["client_credentials", "authorization_code", q][i % 3];
        api("POST /api/v1/oauth/token", "/api/v1/oauth/token", {
          method: "POST",
          headers: {
            "content-type": i % 5 ? "application/x-www-form-urlencoded" : body.contentType,
            ...(i % 2
              ? { authorization: `Basic ${Buffer.from(`vlt_client_fuzz:${text.slice(0, 200)}`).toString("base64")}` }
              : {}),
          },
          body:
            i % 5
              ? `grant_type=${grant}&code=${q}&code_verifier=${q}&redirect_uri=${q}&scope=${q}&client_id=${q}&client_secret=${q}`
              : body.body,
        });
        api("POST /api/v1/oauth/introspect", "/api/v1/oauth/introspect", {
          method: "POST",
          headers: {
            "content-type": i % 5 ? "application/x-www-form-urlencoded" : body.contentType,
            authorization: `Basic ${Buffer.from(`vlt_client_fuzz:${text.slice(0, 200)}`).toString("base64")}`,
          },
          body: i % 5 ? `token=${i % 2 ? accessToken : q}&client_id=${q}` : body.body,
        });
        // The "This wasn't me" page, signed out (as from an email) and signed in: a clear page for any token.
        cases.push({
          target: "GET /freeze/:token",
          caller: i % 2 ? "alice" : "anonymous",
          describe: () => `/freeze/${q.slice(0, 100)}`,
          send: (app) => request(app, `/freeze/${q || "x"}`, { headers: { cookie: i % 2 ? alice : "" } }),
          judge: unclearRoute,
        });
        cases.push({
          target: "GET /oauth/authorize",
          caller: "alice",
          describe: () => `?${q.slice(0, 100)}`,
          send: (app) =>
            request(
              app,
              `/oauth/authorize?response_type=code&client_id=vlt_client_fuzz&intent_id=${q}&scope=${q}&redirect_uri=${q}&state=${q}&code_challenge=${q}&code_challenge_method=S256`,
              { headers: { cookie: alice } },
            ),
          judge: unclearRoute,
        });
      });

      return cases;
    };

    // The floor first: PER_TARGET cases for every target, however long a busy machine takes (the
    // test's timeout leaves room for that). Then more rounds with new seeds while the budget lasts.
    const started = performance.now();
    const seconds = () => (performance.now() - started) / 1000;
    const { failures, tried } = await runCases(servers, makeCases(seed, PER_TARGET));
    const floorSeconds = seconds();
    let rounds = 0;
    while (seconds() < BUDGET_S && failures.length < 30) {
      rounds++;
      await runCases(servers, makeCases(seed + rounds * 7919, EXTRA_PER_TARGET), { failures, tried });
    }
    const sent = Object.values(tried).reduce((sum, n) => sum + n, 0);
    const after = await businessState(sql);
    const changed = Object.keys(before).filter((table) => before[table] !== after[table]);
    console.log(
      `fuzz (seed ${seed}): ${sent} hostile requests in ${seconds().toFixed(1)} s (the floor of ${PER_TARGET} per target in ${floorSeconds.toFixed(1)} s, ` +
        `then ${rounds} extra round(s) of ${EXTRA_PER_TARGET} within the ${BUDGET_S} s budget) to ${actions.length} server actions, 2 route handlers, 6 API routes, the authorize page and the freeze page; ` +
        `${failures.length} unclear or failed; tables changed: ${changed.length ? changed.join(", ") : "none"}\n` +
        Object.entries(tried)
          .map(([target, n]) => `  ${target.padEnd(28)} ${n}`)
          .join("\n"),
    );
    expect(Math.min(...Object.values(tried))).toBeGreaterThanOrEqual(PER_TARGET);
    const byKind = new Map<string, string[]>();
    for (const f of failures) {
      const kind = f.replace(/\(.*\): /s, ": ").slice(0, 120);
      byKind.set(kind, [...(byKind.get(kind) ?? []), f]);
    }
    for (const [kind, all] of byKind) console.log(`  FAILED ${all.length}x ${kind}\n    e.g. ${all[0].slice(0, 400)}`);
    expect(failures.slice(0, 30)).toEqual([]);
    expect(changed).toEqual([]);
  } finally {
    await sql.close();
  }
});

/**
 * Issue 16, finding 8: a server action can also be posted as a plain HTML form, naming the action in
 * its fields with no Next-Action header (multipart, which Next runs, or urlencoded), and a header-style
 * call can come with a foreign or "null" Origin. From a missing, foreign or null Origin every such POST
 * gets 403 and exactly one audit event, never a 500, and nothing changes, real transfer fields included.
 */
test("form-style and header-style server-action posts from a missing, foreign or null Origin: 403, one audit row each, nothing changed", async ({
  apps,
}) => {
  const databaseUrl = await freshDatabase("sqlite", "vault_rel_fuzz_forms");
  apps.prepare(databaseUrl);
  const app = await apps.start({ databaseUrl });
  const sql = await openSql(databaseUrl);
  try {
    const alice = await signInCookie(app, DEMO.alice.email, DEMO.alice.password);
    const [from, to] = (
      await sql.all<{ id: string }>(
        `SELECT a."id" FROM "Account" a JOIN "User" u ON u."id" = a."userId" WHERE u."email" = ? ORDER BY a."id"`,
        DEMO.alice.email,
      )
    ).map((r) => r.id);
    // Fields that move $1.00 between Alice's own accounts: what the transfer form posts.
    const transfer = {
      fromAccountId: from,
      to: `account:${to}`,
      amount: "1.00",
      memo: "form post",
      idempotencyKey: `form-post-${randomBytes(8).toString("hex")}`,
    };
    const before = await businessState(sql);
    const seed = Date.now() % 1_000_000;
    const origins: [string, Record<string, string>][] = [
      ["missing", {}],
      ["foreign", { origin: "https://evil.example" }],
      ["null", { origin: "null" }],
    ];
    const cases: Case[] = [];
    let n = 0;
    for (const action of serverActions()) {
      const path = action.routes[0].replace(/\[[^\]]+\]/g, from);
      const forms = fc.sample(formActionBody(action.id, [from], transfer), { numRuns: 8, seed });
      const kinds: {
        label: string;
        body: () => Promise<{ contentType: string; body: Buffer }>;
        headers: Record<string, string>;
      }[] = [
        ...forms.map((f) => ({
          label: f.label,
          body: () => formPostBody(f.pairs, f.encoding as "multipart" | "urlencoded"),
          headers: {} as Record<string, string>,
        })),
        // The same with a router-prefetch header, which once kept a POST away from proxy.ts altogether.
        ...forms.slice(0, 2).map((f) => ({
          label: `${f.label} + Next-Router-Prefetch`,
          body: () => formPostBody(f.pairs, f.encoding as "multipart" | "urlencoded"),
          headers: { "next-router-prefetch": "1" },
        })),
        // And a header-style call, as React encodes it.
        {
          label: "Next-Action header",
          body: async () => encodeArgs([null, formData(transfer)]),
          headers: { ...ACTION_HEADERS, "next-action": action.id },
        },
        {
          label: "Next-Action header + Next-Router-Prefetch",
          body: async () => encodeArgs([null, formData(transfer)]),
          headers: { ...ACTION_HEADERS, "next-action": action.id, "next-router-prefetch": "1" },
        },
      ];
      kinds.forEach((kind, i) => {
        for (const [originLabel, originHeader] of origins) {
          const agent = `vault-form-post-${n++}`;
          const cookie = i % 2 ? alice : "";
          cases.push({
            target: `${action.name} (${originLabel} Origin)`,
            caller: cookie ? "alice" : "anonymous",
            describe: () => `${kind.label}, user agent ${agent}`,
            send: async () => {
              const { contentType, body } = await kind.body();
              return request(app, path, {
                method: "POST",
                headers: {
                  ...kind.headers,
                  ...originHeader,
                  "content-type": contentType,
                  "user-agent": agent,
                  ...(cookie ? { cookie } : {}),
                },
                body,
              });
            },
            judge: (r) =>
              r.status === 403 ? null : `HTTP ${r.status}, not 403: ${r.body.slice(0, 120).replace(/\n/g, " | ")}`,
          });
        }
      });
    }
    // First, on their own, the exact posts a CSRF page would make to move Alice's money (the transfer
    // form, both ways of naming the action, each encoding, every bad Origin), before any other case
    // can end her session.
    const transferAction = serverAction("createTransferAction");
    const exploits: Case[] = [];
    for (const naming of ["id", "ref"] as const) {
      for (const encoding of ["multipart", "urlencoded"] as const) {
        for (const [originLabel, originHeader] of origins) {
          const agent = `vault-form-post-${n++}`;
          const pairs: [string, string][] =
            naming === "id"
              ? [[`$ACTION_ID_${transferAction.id}`, ""]]
              : [
                  ["$ACTION_REF_1", ""],
                  ["$ACTION_1:0", JSON.stringify({ id: transferAction.id, bound: "$@1" })],
                  ["$ACTION_1:1", "[null]"],
                  ["$ACTION_KEY", "k1"],
                ];
          pairs.push(...Object.entries(transfer));
          exploits.push({
            target: `createTransferAction as a ${encoding} form (${originLabel} Origin)`,
            caller: "alice",
            describe: () => `$ACTION_${naming === "id" ? "ID_" : "REF_"}, user agent ${agent}`,
            send: async () => {
              const { contentType, body } = await formPostBody(pairs, encoding);
              return request(app, transferAction.routes[0], {
                method: "POST",
                headers: { ...originHeader, "content-type": contentType, "user-agent": agent, cookie: alice },
                body,
              });
            },
            judge: (r) =>
              r.status === 403 ? null : `HTTP ${r.status}, not 403: ${r.body.slice(0, 120).replace(/\n/g, " | ")}`,
          });
        }
      }
    }
    const failures: string[] = [];
    for (const c of exploits) {
      const problem = await c.send(app).then(c.judge, (err: Error) => `no answer: ${err.message}`);
      if (problem) failures.push(`${c.target} (${c.caller}, ${c.describe()}): ${problem}`);
    }
    const moved = await sql.all<{ n: bigint }>(`SELECT COUNT(*) AS "n" FROM "Transfer" WHERE "memo" = 'form post'`);
    console.log(
      `form-style transfer posts: ${exploits.length - failures.length} of ${exploits.length} refused with 403; transfers made: ${moved[0].n}`,
    );
    failures.push(...(await runCases([app], cases)).failures);
    // Exactly one audit event per refused request (each had its own user agent), and it is the refusal.
    const rows = await sql.all<{ userAgent: string; action: string; reason: string | null }>(
      `SELECT "userAgent", "action", "reason" FROM "AuditEvent" WHERE "userAgent" LIKE 'vault-form-post-%'`,
    );
    const perRequest = new Map<string, string[]>();
    for (const r of rows)
      perRequest.set(r.userAgent, [...(perRequest.get(r.userAgent) ?? []), `${r.action}/${r.reason}`]);
    const notOne = [...Array(n).keys()]
      .map((i) => `vault-form-post-${i}`)
      .filter(
        (ua) =>
          perRequest.get(ua)?.length !== 1 ||
          !/^security\.cross_origin_action\/(missing|foreign)_origin$/.test(perRequest.get(ua)![0]),
      );
    const after = await businessState(sql);
    const changed = Object.keys(before).filter((table) => before[table] !== after[table]);
    console.log(
      `form-style posts: ${exploits.length + cases.length} requests (seed ${seed}); ${failures.length} not 403; ${n - notOne.length} of ${n} with exactly one audit event; tables changed: ${changed.length ? changed.join(", ") : "none"}`,
    );
    expect(failures.slice(0, 20)).toEqual([]);
    expect(notOne.slice(0, 10).map((ua) => `${ua}: ${JSON.stringify(perRequest.get(ua) ?? [])}`)).toEqual([]);
    expect(changed).toEqual([]);
  } finally {
    await sql.close();
  }
});

/**
 * `npm run api:demo`: Vault's API reference client. It walks through the whole step-up flow for an
 * API against a local production server and prints every HTTP exchange the client makes:
 *
 *   1. the customer (Alice, from the demo seed) makes an API token in the security centre;
 *   2. the client trades it for an access token and reads the accounts;
 *   3. it asks to pay $1,250.00 to a payee and gets RFC 9470's 401 with the intent Vault stored;
 *   4. the customer confirms that intent on /oauth/authorize with a passkey;
 *   5. the client exchanges the code (PKCE) for a single-use token, pays once, and is refused a second time.
 *
 * The customer's half (1 and 4) is what the browser does, driven over HTTP here with a software
 * passkey (lib/testing/soft-authenticator.ts) so the demo runs anywhere; `e2e/api.spec.ts` does it
 * in Chromium with a virtual authenticator. Everything runs on 127.0.0.1 and is stopped at the end.
 * Builds the app first if there is no production build.
 */
import { spawnSync } from "node:child_process";
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { existsSync, mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import { DEMO } from "../fixtures";
import { actionValue, addSoftPasskey, createApiToken, mergeCookies, revealWithStepUp } from "../perf/http-step-up";
import { prepareDatabase, startAppServer } from "../support/app-server";
import { callAction, request, serverAction, signInCookie, type HttpResult } from "../support/server-actions";
import { openSql } from "../support/sql";

const ROOT = path.resolve(import.meta.dirname, "../..");
/** API_DEMO_PORT, or a free port the OS hands out. */
const PORT = process.env.API_DEMO_PORT ? Number(process.env.API_DEMO_PORT) : undefined;
/** The server the client talks to, once it runs. */
let api: { url: string; origin: string };
const REDIRECT_URI = "http://127.0.0.1:53682/callback";

const dim = (s: string) => (process.stdout.isTTY ? `\x1b[2m${s}\x1b[0m` : s);
const bold = (s: string) => (process.stdout.isTTY ? `\x1b[1m${s}\x1b[0m` : s);
/** Secrets are printed shortened: enough to follow, not enough to use. */
const short = (s: string) =>
  s
    .replace(/(vlt_(?:pat|at|code)_[A-Za-z0-9_-]{6})[A-Za-z0-9_-]+/g, "$1…")
    .replace(/(Basic [A-Za-z0-9+/]{8})[A-Za-z0-9+/=]+/g, "$1…");

function step(text: string) {
  console.log(`\n${bold(text)}`);
}

/** One HTTP exchange of the API client, printed as sent and as answered. */
async function exchange(
  method: string,
  pathname: string,
  headers: Record<string, string>,
  body?: string,
): Promise<HttpResult> {
  console.log(`→ ${method} ${pathname}`);
  for (const [k, v] of Object.entries(headers)) console.log(dim(`  ${k}: ${short(v)}`));
  if (body) console.log(dim(`  ${short(body)}`));
  const answer = await request(api, pathname, {
    method,
    headers,
    body,
  });
  console.log(`← ${answer.status}`);
  if (answer.headers["www-authenticate"]) console.log(dim(`  www-authenticate: ${answer.headers["www-authenticate"]}`));
  try {
    console.log(dim(short(JSON.stringify(JSON.parse(answer.body), null, 2)).replace(/^/gm, "  ")));
  } catch {
    console.log(dim(`  ${answer.body.slice(0, 200)}`));
  }
  return answer;
}

function ensureBuild() {
  if (existsSync(path.join(ROOT, ".next", "BUILD_ID"))) return;
  console.log("No production build yet: running next build (about a minute) …");
  const built = spawnSync(process.execPath, [path.join(ROOT, "node_modules/next/dist/bin/next"), "build"], {
    cwd: ROOT,
    stdio: "inherit",
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
  });
  if (built.status !== 0) throw new Error("next build failed");
}

async function main() {
  ensureBuild();
  const dir = path.join(ROOT, "e2e/.tmp");
  mkdirSync(dir, { recursive: true });
  const dbFile = path.join(dir, "api-demo.db");
  rmSync(dbFile, { force: true });
  const databaseUrl = `file:${dbFile}`;
  prepareDatabase(databaseUrl);
  const server = await startAppServer({ port: PORT, databaseUrl, name: "api-demo" });
  const endpoint = { url: server.url, origin: server.origin };
  api = endpoint;
  const sql = await openSql(databaseUrl);
  try {
    console.log(`Vault on ${server.url} (a fresh SQLite database with the demo customers)`);

    step(
      "1. Alice makes an API token in the security centre (a passkey first: creating a credential is a step-up action)",
    );
    const alice = (await sql.all<{ id: string }>(`SELECT "id" FROM "User" WHERE "email" = ?`, DEMO.alice.email))[0];
    const [checking] = await sql.all<{ id: string }>(
      `SELECT "id" FROM "Account" WHERE "userId" = ? ORDER BY "createdAt", "id"`,
      alice.id,
    );
    const [payee] = await sql.all<{ id: string }>(
      `SELECT "id" FROM "Payee" WHERE "userId" = ? AND "name" = 'ACME Ltd'`,
      alice.id,
    );
    const key = await addSoftPasskey(sql, alice.id);
    let cookie = await signInCookie(endpoint, DEMO.alice.email, DEMO.alice.password);
    ({ cookie } = await revealWithStepUp(endpoint, cookie, checking.id, key)); // any passkey step-up opens the 5-minute window
    const created = await createApiToken(endpoint, cookie, "api:demo", ["accounts:read", "transfer:funds"]);
    const client = { id: created.clientId, secret: created.secret };
    console.log(dim(`  client_id ${client.id}, token ${short(client.secret)} (shown once; Vault keeps its SHA-256)`));

    step(
      "2. The client trades its token for a 10-minute access token (OAuth client credentials) and reads the accounts",
    );
    const basic = `Basic ${Buffer.from(`${client.id}:${client.secret}`).toString("base64")}`;
    const form = { "content-type": "application/x-www-form-urlencoded" };
    const token = JSON.parse(
      (
        await exchange(
          "POST",
          "/api/v1/oauth/token",
          { ...form, authorization: basic },
          "grant_type=client_credentials",
        )
      ).body,
    ).access_token as string;
    await exchange("GET", "/api/v1/accounts", { authorization: `Bearer ${token}` });

    step(
      "3. It asks to pay $1,250.00 to ACME Ltd: the policy wants the customer's passkey for this payment (RFC 9470)",
    );
    const idempotencyKey = randomUUID().replaceAll("-", "");
    const payment = JSON.stringify({
      from_account_id: checking.id,
      to: `payee:${payee.id}`,
      amount: "1250.00",
      memo: "Invoice 2026-114",
    });
    const json = (bearer: string) => ({
      authorization: `Bearer ${bearer}`,
      "content-type": "application/json",
      "idempotency-key": idempotencyKey,
    });
    const asked = JSON.parse((await exchange("POST", "/api/v1/transfers", json(token), payment)).body) as {
      intent: { id: string };
      authorization_endpoint: string;
    };

    step("4. The client sends Alice to confirm exactly that intent; she does, with her passkey");
    const verifier = randomBytes(32).toString("base64url");
    const state = randomBytes(12).toString("base64url");
    const query = {
      response_type: "code",
      client_id: client.id,
      intent_id: asked.intent.id,
      scope: "transfer:funds",
      redirect_uri: REDIRECT_URI,
      state,
      code_challenge: createHash("sha256").update(verifier).digest("base64url"),
      code_challenge_method: "S256",
      acr_values: "urn:vault:acr:phr",
      max_age: "0",
    };
    const authorizePage = `${asked.authorization_endpoint}?${new URLSearchParams(query)}`;
    console.log(`  Alice opens ${server.origin}${short(authorizePage).slice(0, 150)}…`);
    const begin = actionValue<{ ok: boolean; options?: { challenge: string }; message?: string }>(
      await callAction(endpoint, authorizePage, serverAction("beginApiStepUpAction"), [query, asked.intent.id], cookie),
    );
    if (!begin.ok || !begin.options) throw new Error(`the authorize page refused: ${begin.message}`);
    const assertion = key.assert({ challenge: begin.options.challenge, origin: server.origin, rpId: "localhost" });
    const completed = await callAction(
      endpoint,
      authorizePage,
      serverAction("completeApiStepUpAction"),
      [query, asked.intent.id, assertion],
      cookie,
    );
    cookie = mergeCookies(cookie, completed);
    const done = actionValue<{ ok: boolean; redirectTo?: string; message?: string }>(completed);
    if (!done.ok || !done.redirectTo) throw new Error(`confirmation failed: ${done.message}`);
    const back = new URL(done.redirectTo);
    console.log(`  … and her browser goes back to the client: ${short(back.toString())}`);
    if (back.searchParams.get("state") !== state) throw new Error("state mismatch");

    step(
      "5. The client exchanges the code for a single-use token bound to that intent, pays once, and can't pay twice",
    );
    const grant = JSON.parse(
      (
        await exchange(
          "POST",
          "/api/v1/oauth/token",
          { ...form, authorization: basic },
          new URLSearchParams({
            grant_type: "authorization_code",
            code: back.searchParams.get("code")!,
            redirect_uri: REDIRECT_URI,
            code_verifier: verifier,
          }).toString(),
        )
      ).body,
    ) as { access_token: string };
    const paid = await exchange("POST", "/api/v1/transfers", json(grant.access_token), payment);
    const again = await exchange("POST", "/api/v1/transfers", json(grant.access_token), payment);
    const ok = paid.status === 201 && again.status === 401;
    console.log(
      `\n${ok ? "Done: the payment went through once, and the single-use token was refused the second time." : "Something went wrong: see above."}`,
    );
    if (!ok) process.exitCode = 1;
  } finally {
    await sql.close();
    await server.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});

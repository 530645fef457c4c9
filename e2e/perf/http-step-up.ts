/**
 * A whole step-up over HTTP, as the step-up page drives it, with the software authenticator in place
 * of the browser's: the guard's redirect, beginStepUpAction (options), the assertion, and
 * completeStepUpAction, whose Set-Cookie carries the upgraded session. The passkey is put in the
 * database directly (enrolment is e2e-tested in a real browser).
 */
import { SoftAuthenticator } from "../../lib/testing/soft-authenticator";
import { callAction, formData, request, serverAction, type Endpoint, type HttpResult } from "../support/server-actions";
import type { Sql } from "../support/sql";

export async function addSoftPasskey(sql: Sql, userId: string): Promise<SoftAuthenticator> {
  const key = new SoftAuthenticator();
  await sql.all(
    `INSERT INTO "Passkey" ("id", "userId", "publicKey", "counter", "transports", "deviceType", "backedUp", "aaguid", "nickname", "createdAt")
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    key.credentialId,
    userId,
    Buffer.from(key.cosePublicKey),
    0n,
    "internal",
    "singleDevice",
    sql.provider === "sqlite" ? 0 : false,
    "",
    "Bench key",
    new Date().toISOString(),
  );
  return key;
}

/** The value a server action returned (row 1 of its React Server Components answer). */
export function actionValue<T>(answer: HttpResult): T {
  const line = answer.body.split("\n").find((l) => l.startsWith("1:"));
  if (answer.status !== 200 || !line)
    throw new Error(`unexpected action answer ${answer.status}: ${answer.body.slice(0, 200)}`);
  return JSON.parse(line.slice(2)) as T;
}

/** The Cookie header after a response: the old pairs, with whatever the response set replacing them. */
export function mergeCookies(cookie: string, answer: HttpResult): string {
  const jar = new Map(
    cookie
      .split("; ")
      .filter(Boolean)
      .map((pair) => [pair.slice(0, pair.indexOf("=")), pair]),
  );
  for (const set of answer.headers["set-cookie"] ?? []) {
    const pair = set.split(";")[0];
    jar.set(pair.slice(0, pair.indexOf("=")), pair);
  }
  return [...jar.values()].join("; ");
}

/**
 * Asks to reveal an account number (policy account.reveal: a passkey within 10 minutes), confirms
 * with `key`, and returns the upgraded session's cookie and the two round trips' times.
 */
export async function revealWithStepUp(endpoint: Endpoint, cookie: string, accountId: string, key: SoftAuthenticator) {
  const asked = await callAction(
    endpoint,
    `/accounts/${accountId}`,
    serverAction("revealAction"),
    [{ status: "idle" }, formData({ accountId })],
    cookie,
  );
  const stepUpPage = asked.redirect;
  if (!stepUpPage?.startsWith("/step-up/"))
    throw new Error(`expected a step-up, got ${asked.status} to ${asked.redirect ?? "no redirect"}`);
  const intentId = stepUpPage.slice("/step-up/".length);
  const t0 = performance.now();
  const begin = actionValue<{ ok: boolean; options?: { challenge: string } }>(
    await callAction(endpoint, stepUpPage, serverAction("beginStepUpAction"), [intentId], cookie),
  );
  const beginMs = performance.now() - t0;
  if (!begin.ok || !begin.options) throw new Error(`beginStepUpAction refused: ${JSON.stringify(begin)}`);
  const assertion = key.assert({
    challenge: begin.options.challenge,
    origin: endpoint.origin,
    rpId: new URL(endpoint.origin).hostname,
  });
  const t1 = performance.now();
  const completed = await callAction(
    endpoint,
    stepUpPage,
    serverAction("completeStepUpAction"),
    [intentId, assertion],
    cookie,
  );
  const completeMs = performance.now() - t1;
  const done = actionValue<{ ok: boolean; message?: string }>(completed);
  if (!done.ok) throw new Error(`completeStepUpAction refused: ${done.message}`);
  return { cookie: mergeCookies(cookie, completed), beginMs, completeMs };
}

/**
 * An API token made in the security centre's action (the session must have passed a passkey step-up
 * within 5 minutes: creating a credential is a step-up action). Its secret is shown this once.
 */
export async function createApiToken(
  endpoint: Endpoint,
  cookie: string,
  name: string,
  scopes: string[],
): Promise<{ clientId: string; secret: string }> {
  const fields = formData({ name, days: "7" });
  for (const scope of scopes) fields.append("scopes", scope);
  // The one ActionState every form action answers (app/_lib/action-state.ts): the token is its result.
  const made = actionValue<{ status: string; result?: { clientId?: string; secret?: string } }>(
    await callAction(
      endpoint,
      "/settings/security",
      serverAction("createApiClientAction"),
      [{ status: "idle" }, fields],
      cookie,
    ),
  );
  if (made.status !== "success" || !made.result?.clientId || !made.result.secret)
    throw new Error(`API token not created: ${JSON.stringify(made)}`);
  return { clientId: made.result.clientId, secret: made.result.secret };
}

/**
 * An access token for `accountId`'s owner, as an app gets one: a passkey step-up in the browser's place,
 * the token made in the security centre, then the OAuth client-credentials exchange. Scopes
 * accounts:read and transfer:funds.
 */
export async function apiAccessToken(
  endpoint: Endpoint,
  signIn: () => Promise<string>,
  accountId: string,
  key: SoftAuthenticator,
): Promise<string> {
  const { cookie } = await revealWithStepUp(endpoint, await signIn(), accountId, key);
  const client = await createApiToken(endpoint, cookie, "bench", ["accounts:read", "transfer:funds"]);
  const basic = Buffer.from(`${client.clientId}:${client.secret}`).toString("base64");
  const answer = await request(endpoint, "/api/v1/oauth/token", {
    method: "POST",
    headers: { authorization: `Basic ${basic}`, "content-type": "application/x-www-form-urlencoded" },
    body: "grant_type=client_credentials",
  });
  const token = (JSON.parse(answer.body) as { access_token?: string }).access_token;
  if (answer.status !== 200 || !token)
    throw new Error(`token exchange failed: ${answer.status} ${answer.body.slice(0, 200)}`);
  return token;
}

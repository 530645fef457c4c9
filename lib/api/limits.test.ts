import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { createTestDatabase, TEST_PROVIDER, type TestDatabase } from "@/lib/testing/test-db";

/**
 * What an API client can make Vault store: access tokens (the token endpoint) and step-up intents
 * (every RFC 9470 401 stores one). Both are counted before the work, in the database, and refused
 * with 429 and Retry-After once over budget. Called through the route handlers with real Requests.
 */
let testDb: TestDatabase;
let db: typeof import("@/lib/db").db;
let perform: typeof import("@/lib/assurance/pipeline").perform;
let clients: typeof import("@/lib/api/clients");
let lockout: typeof import("@/lib/assurance/lockout");
const routes = {} as {
  token: typeof import("@/app/api/v1/oauth/token/route");
  transfers: typeof import("@/app/api/v1/transfers/route");
};
type User = import("@/lib/auth/current-user").SessionUser;

const BASE = "http://127.0.0.1:3000";
const nowS = () => Math.floor(Date.now() / 1000);

before(async () => {
  testDb = await createTestDatabase();
  db = (await import("@/lib/db")).db;
  perform = (await import("@/lib/assurance/pipeline")).perform;
  clients = await import("@/lib/api/clients");
  lockout = await import("@/lib/assurance/lockout");
  routes.token = await import("@/app/api/v1/oauth/token/route");
  routes.transfers = await import("@/app/api/v1/transfers/route");
});
after(async () => {
  await db?.$disconnect();
  await testDb?.drop();
});

/** A customer with a passkey just used (so making a client needs no further step-up) and a payee. */
async function customerWithClient(scopes: string) {
  const users = await import("@/lib/auth/users");
  const created = await users.createUser(
    users.signUpSchema.parse({
      name: "Api",
      email: `api-${randomUUID()}@example.com`,
      password: "a long test passphrase",
    }),
  );
  await db.passkey.create({
    data: {
      id: randomUUID(),
      userId: created.id,
      publicKey: new Uint8Array(32),
      deviceType: "singleDevice",
      nickname: "key",
    },
  });
  const user: User = {
    id: created.id,
    email: created.email,
    name: "Api",
    sid: `sid-${randomUUID()}`,
    claims: { amr: ["pop", "user", "mfa"], acr: "urn:vault:acr:phr", auth_time: nowS(), phr_time: nowS() },
  };
  const client = await perform(clients.apiClientCreate, user, { name: "limits", scopes, days: 30 });
  const checking = (await db.account.findFirstOrThrow({ where: { userId: user.id, type: "CHECKING" } })).id;
  const payee = (
    await db.payee.create({
      data: { userId: user.id, name: "ACME Ltd", iban: "GB82WEST12345698765432", currency: "USD" },
    })
  ).id;
  return { user, client, checking, payee };
}

const tokenRequest = (client: { clientId: string; secret: string }) =>
  routes.token.POST(
    new Request(`${BASE}/api/v1/oauth/token`, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        authorization: `Basic ${Buffer.from(`${client.clientId}:${client.secret}`).toString("base64")}`,
      },
      body: "grant_type=client_credentials",
    }),
  );

describe(`API limits (${TEST_PROVIDER})`, () => {
  it("a client mints at most 20 access tokens a minute, even when 30 requests race; the rest get 429 with Retry-After", async () => {
    const { user, client } = await customerWithClient("accounts:read");
    const responses = await Promise.all(Array.from({ length: 30 }, () => tokenRequest(client)));
    const statuses = responses.map((r) => r.status);
    const minted = await db.apiAccessToken.count({ where: { clientId: client.clientId } });
    console.log(`  access tokens minted: ${minted} of 30 racing requests (${TEST_PROVIDER})`);
    assert.equal(statuses.filter((s) => s === 200).length, 20);
    assert.equal(minted, 20);
    const refused = responses.find((r) => r.status === 429)!;
    const retryAfter = Number(refused.headers.get("retry-after"));
    assert.ok(retryAfter > 0 && retryAfter <= 60, `Retry-After ${retryAfter}`);
    const body = (await refused.json()) as Record<string, unknown>;
    assert.equal(body.error, "too_many_requests");
    assert.match(String(body.error_description), /too many access tokens/);
    assert.equal(body.retryAfterS, undefined, "the header carries it; the body is RFC 6749 §5.2's");
    // Another client of the same customer has its own budget.
    const other = await perform(clients.apiClientCreate, user, { name: "other", scopes: "accounts:read", days: 30 });
    assert.equal((await tokenRequest(other)).status, 200);
  });

  it("a token holder's 401s store at most 30 pending intents per intent lifetime; then 429 too_many_intents with Retry-After", async () => {
    const c = await customerWithClient("transfer:funds");
    // A token from a password-only authentication can't pay a payee: each call is a 401 with a new intent.
    await db.apiClient.update({ where: { id: c.client.clientId }, data: { acr: "urn:vault:acr:aal1" } });
    const token = ((await (await tokenRequest(c.client)).json()) as { access_token: string }).access_token;
    const pay = () =>
      routes.transfers.POST(
        new Request(`${BASE}/api/v1/transfers`, {
          method: "POST",
          headers: {
            authorization: `Bearer ${token}`,
            "content-type": "application/json",
            "idempotency-key": randomUUID().replaceAll("-", ""),
          },
          body: JSON.stringify({ from_account_id: c.checking, to: `payee:${c.payee}`, amount: "1250.00" }),
        }),
      );
    const responses = await Promise.all(Array.from({ length: 40 }, pay));
    const statuses = responses.map((r) => r.status);
    const stored = await db.stepUpIntent.count({ where: { userId: c.user.id } });
    console.log(`  intents stored: ${stored} of 40 racing 401s (${TEST_PROVIDER})`);
    assert.equal(statuses.filter((s) => s === 401).length, 30, statuses.join(","));
    assert.equal(statuses.filter((s) => s === 429).length, 10);
    assert.equal(stored, 30);
    const refused = responses.find((r) => r.status === 429)!;
    assert.ok(Number(refused.headers.get("retry-after")) > 0);
    const body = (await refused.json()) as Record<string, unknown>;
    assert.equal(body.error, "too_many_intents");
    assert.match(String(body.error_description), /Try again in \d+ minute/);
  });

  it("the cap is a DomainError with a message, and a browser session's intents aren't capped", async () => {
    const { createIntent } = await import("@/lib/assurance/intents");
    const { DomainError } = await import("@/lib/errors");
    const { apiSid } = await import("@/lib/api/tokens");
    const userId = (await customerWithClient("accounts:read")).user.id;
    const api = { id: userId, sid: apiSid(`client-${randomUUID()}`) };
    const browser = { id: userId, sid: `sid-${randomUUID()}` };
    for (let i = 0; i < 30; i++) await createIntent(api, "account.reveal", { accountId: `acc-${i}` });
    const refused = await createIntent(api, "account.reveal", { accountId: "one too many" }).then(
      () => null,
      (err: unknown) => err,
    );
    assert.ok(refused instanceof lockout.RateLimited && refused instanceof DomainError, String(refused));
    assert.equal(refused.code, "too_many_intents");
    assert.match(
      refused.userMessage,
      /^Too many confirmations were started at once\. Try again in [1-5] minute\(s\)\.$/,
    );
    // Per customer, whichever client asks: another client of the same customer is refused too.
    await assert.rejects(
      createIntent({ id: userId, sid: apiSid(`client-${randomUUID()}`) }, "account.reveal", { accountId: "x" }),
      lockout.RateLimited,
    );
    assert.equal(typeof (await createIntent(browser, "account.reveal", { accountId: "from a page" })), "string");
  });
});

import assert from "node:assert/strict";
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { addPasskey } from "@/lib/testing/fixtures";
import { statementsOf } from "@/lib/testing/statements";
import type { SoftAuthenticator } from "@/lib/testing/soft-authenticator";
import { TEST_RP } from "@/lib/testing/step-up-in-process";
import { createTestDatabase, TEST_PROVIDER, type TestDatabase } from "@/lib/testing/test-db";

/**
 * The bearer-token API, called through its route handlers with real Request objects on a real
 * database (both providers): scopes, RFC 9470 challenges, the step-up token flow with a real ES256
 * assertion, single use, revocation, expiry and idempotency. The browser half is e2e-tested.
 */
let testDb: TestDatabase;
let db: typeof import("@/lib/db").db;
let perform: typeof import("@/lib/assurance/pipeline").perform;
let clients: typeof import("@/lib/api/clients");
let authorize: typeof import("@/lib/api/authorize");
let guardModule: typeof import("@/lib/assurance/guard");
let intents: typeof import("@/lib/assurance/intents");
const routes = {} as {
  token: typeof import("@/app/api/v1/oauth/token/route");
  introspect: typeof import("@/app/api/v1/oauth/introspect/route");
  accounts: typeof import("@/app/api/v1/accounts/route");
  transactions: typeof import("@/app/api/v1/accounts/[id]/transactions/route");
  number: typeof import("@/app/api/v1/accounts/[id]/number/route");
  transfers: typeof import("@/app/api/v1/transfers/route");
};
type User = import("@/lib/auth/current-user").SessionUser;
type Customer = { user: User; key: SoftAuthenticator; checking: string; savings: string; payee: string };

const BASE = "http://127.0.0.1:3000";
const nowS = () => Math.floor(Date.now() / 1000);
const PHR = "urn:vault:acr:phr";
const AAL1 = "urn:vault:acr:aal1";
const idempotencyKey = () => randomUUID().replaceAll("-", "");

async function customer(name: string): Promise<Customer> {
  const users = await import("@/lib/auth/users");
  const created = await users.createUser(
    users.signUpSchema.parse({
      name,
      email: `${name}-${randomUUID()}@example.com`,
      password: "a long test passphrase",
    }),
  );
  const key = await addPasskey(db, created.id, `${name}'s key`);
  const user: User = {
    id: created.id,
    email: created.email,
    name,
    sid: `sid-${name}-${randomUUID()}`,
    claims: { amr: ["pop", "user", "mfa"], acr: PHR, auth_time: nowS(), phr_time: nowS() },
  };
  const [checking, savings] = await db.account.findMany({ where: { userId: user.id }, orderBy: { createdAt: "asc" } });
  const payee = (
    await db.payee.create({
      data: { userId: user.id, name: "ACME Ltd", iban: "GB82WEST12345698765432", currency: "USD" },
    })
  ).id;
  return { user, key, checking: checking.id, savings: savings.id, payee };
}

/**
 * A token made by an authentication with these claims. With a fresh passkey the grace window lets it
 * through; otherwise the intent is authorised directly (the state a verified assertion leaves) and
 * the creation resumed, so the token records exactly the claims given.
 */
async function makeClient(c: Customer, scopes: string, claims: User["claims"] = c.user.claims) {
  // The tests make many tokens; keep under the live-token cap (tested on its own below).
  const live = await db.apiClient.findMany({
    where: { userId: c.user.id, revokedAt: null },
    orderBy: { createdAt: "asc" },
    select: { id: true },
  });
  if (live.length >= 8)
    await db.apiClient.updateMany({
      where: { id: { in: live.slice(0, 4).map((l) => l.id) } },
      data: { revokedAt: new Date() },
    });
  const actor = { ...c.user, claims };
  const input = { name: `client ${randomUUID().slice(0, 8)}`, scopes, days: 30 };
  try {
    return await perform(clients.apiClientCreate, actor, input);
  } catch (err) {
    if (!(err instanceof guardModule.StepUpRequired)) throw err;
    const { payload } = await db.stepUpIntent.findUniqueOrThrow({ where: { id: err.intentId } });
    assert.equal(await intents.authoriseIntent(actor, err.intentId, payload), true);
    return perform(clients.apiClientCreate, actor, input, { intentId: err.intentId });
  }
}

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

async function tokenRequest(fields: Record<string, string>, basic?: [string, string]) {
  const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded" };
  if (basic)
    headers.authorization = `Basic ${Buffer.from(`${encodeURIComponent(basic[0])}:${encodeURIComponent(basic[1])}`).toString("base64")}`;
  const res = await routes.token.POST(
    new Request(`${BASE}/api/v1/oauth/token`, { method: "POST", headers, body: form(fields) }),
  );
  return { status: res.status, body: (await res.json()) as Record<string, unknown>, headers: res.headers };
}

async function accessToken(client: { clientId: string; secret: string }, scope?: string): Promise<string> {
  const res = await tokenRequest({ grant_type: "client_credentials", ...(scope ? { scope } : {}) }, [
    client.clientId,
    client.secret,
  ]);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.access_token as string;
}

type Call = { status: number; body: Record<string, unknown>; challenge: string | null };
const toCall = async (res: Response): Promise<Call> => ({
  status: res.status,
  body: (await res.json()) as Record<string, unknown>,
  challenge: res.headers.get("www-authenticate"),
});
const auth = (token: string | null): Record<string, string> => (token ? { authorization: `Bearer ${token}` } : {});
const ctx = (id: string) => ({ params: Promise.resolve({ id }) });

const getAccounts = async (token: string | null) =>
  toCall(await routes.accounts.GET(new Request(`${BASE}/api/v1/accounts`, { headers: auth(token) })));
const getTransactions = async (token: string, id: string) =>
  toCall(
    await routes.transactions.GET(
      new Request(`${BASE}/api/v1/accounts/${id}/transactions`, { headers: auth(token) }),
      ctx(id),
    ),
  );
const getNumber = async (token: string, id: string) =>
  toCall(
    await routes.number.GET(new Request(`${BASE}/api/v1/accounts/${id}/number`, { headers: auth(token) }), ctx(id)),
  );
async function postTransfer(token: string, body: Record<string, unknown>, key: string) {
  const res = await routes.transfers.POST(
    new Request(`${BASE}/api/v1/transfers`, {
      method: "POST",
      headers: { ...auth(token), "content-type": "application/json", "idempotency-key": key },
      body: JSON.stringify(body),
    }),
  );
  return toCall(res);
}

const balanceOf = async (accountId: string) =>
  (await db.account.findUniqueOrThrow({ where: { id: accountId } })).balance;

/** The client's side of the step-up: PKCE pair, the customer confirming with their passkey, the code exchanged. */
async function stepUpToken(
  c: Customer,
  client: { clientId: string; secret: string },
  intentId: string,
  scope = "transfer:funds",
) {
  const verifier = randomBytes(32).toString("base64url");
  const query = {
    response_type: "code",
    client_id: client.clientId,
    intent_id: intentId,
    scope,
    redirect_uri: "http://127.0.0.1:53682/callback",
    state: randomBytes(12).toString("base64url"),
    code_challenge: createHash("sha256").update(verifier).digest("base64url"),
    code_challenge_method: "S256",
    acr_values: PHR,
    max_age: "0",
  };
  const request = authorize.parseAuthorizeQuery(query);
  const begin = await authorize.beginApiStepUpFor(c.user, request);
  assert.ok(begin.ok, JSON.stringify(begin));
  const done = await authorize.completeApiStepUpFor(
    c.user,
    request,
    c.key.assert({ challenge: begin.options.challenge, ...TEST_RP }),
  );
  assert.ok(done.ok, JSON.stringify(done));
  const back = new URL(done.redirectTo);
  assert.equal(back.origin + back.pathname, query.redirect_uri);
  assert.equal(back.searchParams.get("state"), query.state);
  const code = back.searchParams.get("code")!;
  const exchange = {
    grant_type: "authorization_code",
    code,
    redirect_uri: query.redirect_uri,
    code_verifier: verifier,
  };
  const res = await tokenRequest(exchange, [client.clientId, client.secret]);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.equal(res.body.intent_id, intentId);
  assert.equal(res.body.scope, scope);
  return { token: res.body.access_token as string, exchange };
}

let alice: Customer;
let bob: Customer;

before(async () => {
  testDb = await createTestDatabase();
  db = (await import("@/lib/db")).db;
  perform = (await import("@/lib/assurance/pipeline")).perform;
  clients = await import("@/lib/api/clients");
  authorize = await import("@/lib/api/authorize");
  guardModule = await import("@/lib/assurance/guard");
  intents = await import("@/lib/assurance/intents");
  routes.token = await import("@/app/api/v1/oauth/token/route");
  routes.introspect = await import("@/app/api/v1/oauth/introspect/route");
  routes.accounts = await import("@/app/api/v1/accounts/route");
  routes.transactions = await import("@/app/api/v1/accounts/[id]/transactions/route");
  routes.number = await import("@/app/api/v1/accounts/[id]/number/route");
  routes.transfers = await import("@/app/api/v1/transfers/route");
  alice = await customer("alice");
  bob = await customer("bob");
});
after(async () => {
  await db.$disconnect();
  await testDb.drop();
});

describe(`bearer-token API (${TEST_PROVIDER})`, () => {
  it("stores only a hash of the token, and a token buys short-lived access tokens with its scopes", async () => {
    const client = await makeClient(alice, "accounts:read");
    const row = await db.apiClient.findUniqueOrThrow({ where: { id: client.clientId } });
    assert.notEqual(row.secretHash, client.secret);
    assert.ok(!JSON.stringify(row).includes(client.secret.slice(8)));
    assert.equal(row.acr, PHR);
    const res = await tokenRequest({ grant_type: "client_credentials" }, [client.clientId, client.secret]);
    assert.equal(res.status, 200);
    assert.equal(res.body.token_type, "Bearer");
    assert.equal(res.body.expires_in, 600);
    assert.equal(res.body.scope, "accounts:read");
    assert.equal(res.headers.get("cache-control"), "no-store");
    // Asking for more than the token has, or a wrong secret, is refused.
    assert.equal(
      (
        await tokenRequest({ grant_type: "client_credentials", scope: "transfer:funds" }, [
          client.clientId,
          client.secret,
        ])
      ).body.error,
      "invalid_scope",
    );
    const wrong = await tokenRequest({ grant_type: "client_credentials" }, [
      client.clientId,
      `vlt_pat_${"A".repeat(43)}`,
    ]);
    assert.equal(wrong.status, 401);
    assert.equal(wrong.body.error, "invalid_client");
    assert.equal(wrong.headers.get("www-authenticate"), 'Basic realm="vault"');
    assert.equal(
      (await tokenRequest({ grant_type: "password" }, [client.clientId, client.secret])).body.error,
      "unsupported_grant_type",
    );
  });

  it("introspects a client's own tokens with their acr and auth_time (RFC 7662, RFC 9470 §6.2), and nobody else's", async () => {
    const client = await makeClient(alice, "accounts:read");
    const token = await accessToken(client);
    const introspect = async (who: { clientId: string; secret: string }, value: string) => {
      const res = await routes.introspect.POST(
        new Request(`${BASE}/api/v1/oauth/introspect`, {
          method: "POST",
          headers: {
            "content-type": "application/x-www-form-urlencoded",
            authorization: `Basic ${Buffer.from(`${who.clientId}:${who.secret}`).toString("base64")}`,
          },
          body: form({ token: value }),
        }),
      );
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };
    const mine = await introspect(client, token);
    assert.equal(mine.status, 200);
    const row = await db.apiClient.findUniqueOrThrow({ where: { id: client.clientId } });
    assert.deepEqual(
      { ...mine.body, exp: typeof mine.body.exp, iat: typeof mine.body.iat },
      {
        active: true,
        scope: "accounts:read",
        client_id: client.clientId,
        token_type: "Bearer",
        exp: "number",
        iat: "number",
        acr: PHR,
        auth_time: Math.floor(row.authTime.getTime() / 1000),
      },
    );
    assert.deepEqual((await introspect(await makeClient(bob, "accounts:read"), token)).body, { active: false });
    assert.deepEqual((await introspect(client, "not a token")).body, { active: false });
  });

  it("answers each scope boundary with 403 insufficient_scope naming the scope (RFC 6750 §3.1)", async () => {
    const reader = await accessToken(await makeClient(alice, "accounts:read"));
    const ok = await getAccounts(reader);
    assert.equal(ok.status, 200);
    const data = ok.body.data as { id: string; balance: string; balance_minor: number; last4: string }[];
    assert.deepEqual(data.map((a) => a.id).sort(), [alice.checking, alice.savings].sort());
    assert.equal(data.find((a) => a.id === alice.checking)!.balance_minor, Number(await balanceOf(alice.checking)));
    assert.ok(data.every((a) => /^\d{4}$/.test(a.last4) && !("number" in a)));

    const tx = await getTransactions(reader, alice.checking);
    assert.equal(tx.status, 403);
    assert.equal(tx.body.error, "insufficient_scope");
    assert.equal(tx.body.scope, "transfers:read");
    assert.match(
      tx.challenge!,
      /^Bearer realm="vault", error="insufficient_scope", error_description="[^"]+", scope="transfers:read"$/,
    );
    const move = await postTransfer(
      reader,
      { from_account_id: alice.checking, to: `account:${alice.savings}`, amount: "1.00" },
      idempotencyKey(),
    );
    assert.equal(move.status, 403);
    assert.match(move.challenge!, /scope="transfer:funds"/);

    const history = await accessToken(await makeClient(alice, "transfers:read"));
    assert.equal((await getTransactions(history, alice.checking)).status, 200);
    const noAccounts = await getAccounts(history);
    assert.equal(noAccounts.status, 403);
    assert.match(noAccounts.challenge!, /scope="accounts:read"/);
  });

  it("answers a missing, malformed or unknown token as RFC 6750 §3 says, and another customer's account as not found", async () => {
    const none = await getAccounts(null);
    assert.equal(none.status, 401);
    assert.equal(none.challenge, 'Bearer realm="vault"');
    const malformed = await routes.accounts.GET(
      new Request(`${BASE}/api/v1/accounts`, { headers: { authorization: "Bearer" } }),
    );
    assert.equal(malformed.status, 400);
    const unknown = await getAccounts(`vlt_at_${"B".repeat(43)}`);
    assert.equal(unknown.status, 401);
    assert.match(unknown.challenge!, /error="invalid_token"/);
    const token = await accessToken(await makeClient(alice, "accounts:read transfers:read"));
    assert.equal((await getTransactions(token, bob.checking)).status, 404);
  });

  it("answers 401 insufficient_user_authentication with the policy's acr_values and max_age (RFC 9470 §3)", async () => {
    // A token made by a password-only session: acr too low for the reveal policy.
    const weak = await accessToken(
      await makeClient(alice, "accounts:read", { amr: ["pwd"], acr: AAL1, auth_time: nowS() }),
    );
    const low = await getNumber(weak, alice.checking);
    assert.equal(low.status, 401);
    assert.equal(low.body.error, "insufficient_user_authentication");
    assert.match(
      low.challenge!,
      /^Bearer realm="vault", error="insufficient_user_authentication", error_description="A phishing-resistant authentication \(a passkey\) is required", acr_values="urn:vault:acr:phr", max_age="600"$/,
    );
    assert.equal(low.body.acr_values, PHR);
    assert.equal(low.body.max_age, 600);
    // A token made by a passkey 20 minutes ago: too old for the 10-minute reveal window.
    const old = nowS() - 20 * 60;
    const stale = await accessToken(
      await makeClient(alice, "accounts:read", {
        amr: ["pop", "user", "mfa"],
        acr: PHR,
        auth_time: old,
        phr_time: old,
      }),
    );
    const tooOld = await getNumber(stale, alice.checking);
    assert.equal(tooOld.status, 401);
    assert.match(
      tooOld.challenge!,
      /error_description="More recent authentication is required", acr_values="urn:vault:acr:phr", max_age="600"$/,
    );
    // A token from a passkey just now reveals it.
    const fresh = await accessToken(await makeClient(alice, "accounts:read"));
    const shown = await getNumber(fresh, alice.checking);
    assert.equal(shown.status, 200);
    assert.equal(shown.body.number, (await db.account.findUniqueOrThrow({ where: { id: alice.checking } })).number);
  });

  it("a reveal step-up token reveals only the account its intent names, once, and no other route takes it (issue 16, finding 7)", async () => {
    const client = await makeClient(alice, "accounts:read", { amr: ["pwd"], acr: AAL1, auth_time: nowS() });
    const weak = await accessToken(client);
    const stepUpFor = async (accountId: string) => {
      const asked = await getNumber(weak, accountId);
      assert.equal(asked.status, 401);
      const intentId = (asked.body.intent as { id: string }).id;
      return { intentId, token: (await stepUpToken(alice, client, intentId, "accounts:read")).token };
    };
    const checking = await stepUpFor(alice.checking);
    // Not a listing: the token was issued for one operation.
    const listed = await getAccounts(checking.token);
    assert.equal(listed.status, 401);
    assert.match(
      listed.challenge!,
      /error="invalid_token", error_description="This single-use token was issued for a different operation\."/,
    );
    // Not another account's number.
    const savings = await getNumber(checking.token, alice.savings);
    assert.equal(savings.status, 401);
    assert.match(savings.challenge!, /error="invalid_token"/);
    assert.equal(savings.body.number, undefined);
    // The account it was confirmed for: shown once, and the intent is used up.
    const again = await stepUpFor(alice.checking);
    const shown = await getNumber(again.token, alice.checking);
    assert.equal(shown.status, 200, JSON.stringify(shown.body));
    assert.equal(shown.body.number, (await db.account.findUniqueOrThrow({ where: { id: alice.checking } })).number);
    assert.equal((await db.stepUpIntent.findUniqueOrThrow({ where: { id: again.intentId } })).status, "CONSUMED");
    assert.equal((await getNumber(again.token, alice.checking)).status, 401);
  });

  it("a payment intent made before a recovery sign-in can't be confirmed on /oauth/authorize, and a step-up token minted before it moves nothing (issue 16, finding 1)", async () => {
    const c = await customer("dave");
    const { makeRecoveryCodes } = await import("@/lib/auth/recovery-codes");
    const codes = await makeRecoveryCodes();
    await db.$transaction((tx) => codes.store(tx, c.user.id, "regenerated"));
    const client = await makeClient(c, "transfer:funds");
    const token = await accessToken(client);
    const payment = (amount: string) => ({
      body: { from_account_id: c.checking, to: `payee:${c.payee}`, amount },
      key: idempotencyKey(),
    });
    const first = payment("1250.00");
    const second = payment("2000.00");
    const intentOf = async (p: ReturnType<typeof payment>) =>
      ((await postTransfer(token, p.body, p.key)).body.intent as { id: string }).id;
    const firstIntent = await intentOf(first);
    const { token: minted } = await stepUpToken(c, client, await intentOf(second));
    const before = await balanceOf(c.checking);

    const { authenticateWithRecoveryCode } = await import("@/lib/auth/recovery-sign-in");
    assert.ok(
      await authenticateWithRecoveryCode({
        email: c.user.email,
        password: "a long test passphrase",
        code: codes.codes[0],
      }),
    );

    const request = authorize.parseAuthorizeQuery({
      response_type: "code",
      client_id: client.clientId,
      intent_id: firstIntent,
      scope: "transfer:funds",
      redirect_uri: "http://127.0.0.1:53682/callback",
      state: "s".repeat(16),
      code_challenge: createHash("sha256").update("v".repeat(43)).digest("base64url"),
      code_challenge_method: "S256",
    });
    const begin = await authorize.beginApiStepUpFor(c.user, request);
    assert.equal(begin.ok, false, "nothing to confirm: the recovery sign-in cancelled it");
    const moved = await postTransfer(minted, second.body, second.key);
    assert.equal(moved.status, 401, JSON.stringify(moved.body));
    assert.match(moved.challenge!, /error="invalid_token"/);
    assert.equal(await balanceOf(c.checking), before, "no money moved");
  });

  it("a payment to a payee needs the customer's passkey; the step-up token moves the money once, and is refused the second time", async () => {
    const client = await makeClient(alice, "accounts:read transfer:funds");
    const token = await accessToken(client);
    const key = idempotencyKey();
    const body = { from_account_id: alice.checking, to: `payee:${alice.payee}`, amount: "1250.00", memo: "Invoice 7" };
    const before = await balanceOf(alice.checking);
    const asked = await postTransfer(token, body, key);
    assert.equal(asked.status, 401);
    assert.match(
      asked.challenge!,
      /error="insufficient_user_authentication", error_description="The customer must confirm this operation with a passkey", acr_values="urn:vault:acr:phr", max_age="0"$/,
    );
    const intent = asked.body.intent as { id: string; summary: string; expires_at: string };
    assert.equal(intent.summary, "Send $1,250.00 to ACME Ltd");
    assert.equal(asked.body.authorization_endpoint, "/oauth/authorize");
    assert.equal(await balanceOf(alice.checking), before);

    const { token: stepUp, exchange } = await stepUpToken(alice, client, intent.id);
    const moved = await postTransfer(stepUp, body, key);
    assert.equal(moved.status, 201, JSON.stringify(moved.body));
    assert.equal(moved.body.amount, "1250.00");
    assert.equal(moved.body.amount_minor, 125_000);
    assert.equal(moved.body.sca, "step_up");
    assert.equal(await balanceOf(alice.checking), before - 125_000n);

    const again = await postTransfer(stepUp, body, key);
    assert.equal(again.status, 401);
    assert.match(
      again.challenge!,
      /error="invalid_token", error_description="This single-use token was already used\."/,
    );
    assert.equal(await balanceOf(alice.checking), before - 125_000n);
    // The code was single-use too.
    assert.equal((await tokenRequest(exchange, [client.clientId, client.secret])).body.error, "invalid_grant");
    // A plain token retrying with the same key gets the first result, and nothing moves.
    const retry = await postTransfer(token, body, key);
    assert.equal(retry.status, 200);
    assert.equal(retry.body.id, moved.body.id);
    assert.equal(await balanceOf(alice.checking), before - 125_000n);
  });

  it("a step-up token for intent A can't run intent B", async () => {
    const client = await makeClient(alice, "transfer:funds");
    const token = await accessToken(client);
    const a = {
      body: { from_account_id: alice.checking, to: `payee:${alice.payee}`, amount: "300.00" },
      key: idempotencyKey(),
    };
    const b = {
      body: { from_account_id: alice.checking, to: `payee:${alice.payee}`, amount: "900.00" },
      key: idempotencyKey(),
    };
    const intentA = ((await postTransfer(token, a.body, a.key)).body.intent as { id: string }).id;
    const intentB = ((await postTransfer(token, b.body, b.key)).body.intent as { id: string }).id;
    const before = await balanceOf(alice.checking);
    const { token: forA } = await stepUpToken(alice, client, intentA);
    const wrong = await postTransfer(forA, b.body, b.key);
    assert.equal(wrong.status, 401);
    assert.match(
      wrong.challenge!,
      /error="invalid_token", error_description="This single-use token was issued for a different operation\."/,
    );
    assert.equal(await balanceOf(alice.checking), before);
    assert.equal((await db.stepUpIntent.findUniqueOrThrow({ where: { id: intentB } })).status, "PENDING");
    // The code flow refuses wrong PKCE and redirect URIs too.
    const verifierless = await tokenRequest(
      {
        grant_type: "authorization_code",
        code: `vlt_code_${"C".repeat(43)}`,
        redirect_uri: "http://127.0.0.1:1/cb",
        code_verifier: "x".repeat(43),
      },
      [client.clientId, client.secret],
    );
    assert.equal(verifierless.body.error, "invalid_grant");
  });

  it("refuses the authorize step for another customer's client or intent, a non-loopback redirect, or a missing PKCE challenge", async () => {
    const client = await makeClient(alice, "transfer:funds");
    const token = await accessToken(client);
    const intentId = (
      (
        await postTransfer(
          token,
          { from_account_id: alice.checking, to: `payee:${alice.payee}`, amount: "500.00" },
          idempotencyKey(),
        )
      ).body.intent as { id: string }
    ).id;
    const query = {
      response_type: "code",
      client_id: client.clientId,
      intent_id: intentId,
      scope: "transfer:funds",
      redirect_uri: "http://127.0.0.1:9/cb",
      state: "state-123456",
      code_challenge: "A".repeat(43),
      code_challenge_method: "S256",
    };
    assert.ok((await authorize.authorizeViewFor(alice.user, authorize.parseAuthorizeQuery(query))).ok);
    assert.equal((await authorize.authorizeViewFor(bob.user, authorize.parseAuthorizeQuery(query))).ok, false);
    for (const bad of [
      { redirect_uri: "https://evil.example/cb" },
      { redirect_uri: "http://localhost:9/cb" },
      { code_challenge_method: "plain" },
      { code_challenge: undefined },
      { scope: "accounts:read" },
    ]) {
      const view = await authorize.authorizeViewFor(alice.user, authorize.parseAuthorizeQuery({ ...query, ...bad }));
      assert.equal(view.ok, false, JSON.stringify(bad));
    }
    const begin = await authorize.beginApiStepUpFor(bob.user, authorize.parseAuthorizeQuery(query));
    assert.equal(begin.ok, false);
  });

  it("caps live tokens at 10 per customer, and the form's input is validated", async () => {
    const carol = await customer("carol");
    for (let i = 0; i < 10; i++)
      await perform(clients.apiClientCreate, carol.user, { name: `t${i}`, scopes: "accounts:read", days: 7 });
    await assert.rejects(
      perform(clients.apiClientCreate, carol.user, { name: "one more", scopes: "accounts:read", days: 7 }),
      /too_many_tokens/,
    );
    for (const bad of [
      { name: "", scopes: "accounts:read", days: 7 },
      { name: "x", scopes: "admin", days: 7 },
      { name: "x", scopes: "accounts:read", days: 3650 },
    ]) {
      await assert.rejects(perform(clients.apiClientCreate, bob.user, bad), /invalid_input/);
    }
    assert.equal(await db.apiClient.count({ where: { userId: carol.user.id } }), 10);
  });

  it("the live-token cap holds when 20 creations race: exactly 10 are made, the rest refused", async () => {
    const dan = await customer("dan");
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        perform(clients.apiClientCreate, dan.user, { name: `race ${i}`, scopes: "accounts:read", days: 7 }),
      ),
    );
    const refused = results.filter((r) => r.status === "rejected");
    console.log(
      `  live-token cap, 20 racing creations: ${results.length - refused.length} made, ${refused.length} refused (${TEST_PROVIDER})`,
    );
    assert.equal(results.length - refused.length, 10);
    for (const r of refused) assert.match(String((r as PromiseRejectedResult).reason), /too_many_tokens/);
    assert.equal(await db.apiClient.count({ where: { userId: dan.user.id } }), 10);
  });

  it("refuses a revoked token's access tokens, and an expired access token", async () => {
    const client = await makeClient(alice, "accounts:read");
    const token = await accessToken(client);
    assert.equal((await getAccounts(token)).status, 200);
    await db.apiAccessToken.updateMany({
      where: { clientId: client.clientId },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    const expired = await getAccounts(token);
    assert.equal(expired.status, 401);
    assert.match(expired.challenge!, /error="invalid_token", error_description="The access token expired\."/);

    const live = await accessToken(client);
    await db.apiClient.update({ where: { id: client.clientId }, data: { revokedAt: new Date() } });
    const revoked = await getAccounts(live);
    assert.equal(revoked.status, 401);
    assert.match(revoked.challenge!, /error_description="The token it came from was revoked\."/);
    assert.equal(
      (await tokenRequest({ grant_type: "client_credentials" }, [client.clientId, client.secret])).body.error,
      "invalid_client",
    );
  });

  it("an own-account transfer costs at most 9 SQL statements and one commit, its retry 2 and none (issue 18)", async () => {
    // A cost budget: a change that adds a round trip to the API's hottest write fails here. The 9:
    // the token with its client's state in one SELECT, the idempotency key, both accounts at once, debit and credit (each
    // UPDATE … RETURNING the new balance), the transfer, both ledger entries in one INSERT, the two
    // audit rows (the guard's decision and the transfer) in one INSERT, and the COMMIT.
    const token = await accessToken(await makeClient(alice, "transfer:funds"));
    const body = { from_account_id: alice.checking, to: `account:${alice.savings}`, amount: "0.01" };
    const key = idempotencyKey();
    const first = await statementsOf(() => postTransfer(token, body, key));
    assert.equal(first.result.status, 201, JSON.stringify(first.result.body));
    assert.ok(first.statements.length <= 9, `${first.statements.length} statements:\n${first.statements.join("\n")}`);
    assert.equal(first.commits, 1);
    // The response is the transfer as stored, read back by nothing.
    const stored = await db.transfer.findUniqueOrThrow({ where: { id: first.result.body.id as string } });
    assert.equal(first.result.body.reference, stored.reference);
    assert.equal(first.result.body.created_at, stored.createdAt.toISOString());
    const retry = await statementsOf(() => postTransfer(token, body, key));
    assert.equal(retry.result.status, 200);
    assert.deepEqual({ ...retry.result.body, replayed: false }, first.result.body);
    assert.ok(retry.statements.length <= 2, retry.statements.join("\n"));
    assert.equal(retry.commits, 0);
  });

  it("an idempotent retry returns the first result and moves money once; bad input changes nothing", async () => {
    const token = await accessToken(await makeClient(alice, "transfer:funds"));
    const key = idempotencyKey();
    const body = { from_account_id: alice.checking, to: `account:${alice.savings}`, amount: "12.34" };
    const before = await balanceOf(alice.savings);
    const first = await postTransfer(token, body, key);
    assert.equal(first.status, 201, JSON.stringify(first.body));
    assert.equal(first.body.sca, "none");
    const second = await postTransfer(token, body, key);
    assert.equal(second.status, 200);
    assert.equal(second.body.id, first.body.id);
    assert.equal(second.body.replayed, true);
    assert.equal(await balanceOf(alice.savings), before + 1234n);

    const bad = await postTransfer(token, { ...body, amount: "12.345" }, idempotencyKey());
    assert.equal(bad.status, 422);
    assert.equal(bad.body.error, "invalid_request");
    assert.ok((bad.body.field_errors as Record<string, string>).amount);
    const noKey = await routes.transfers.POST(
      new Request(`${BASE}/api/v1/transfers`, {
        method: "POST",
        headers: { ...auth(token), "content-type": "application/json" },
        body: JSON.stringify(body),
      }),
    );
    assert.equal(noKey.status, 400);
    const notJson = await routes.transfers.POST(
      new Request(`${BASE}/api/v1/transfers`, {
        method: "POST",
        headers: { ...auth(token), "idempotency-key": idempotencyKey() },
        body: "amount=1",
      }),
    );
    assert.equal(notJson.status, 400);
    assert.equal(await balanceOf(alice.savings), before + 1234n);
  });
});

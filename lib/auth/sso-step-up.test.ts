import assert from "node:assert/strict";
import { generateKeyPairSync, randomBytes, randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { exportJWK, SignJWT, type JWTPayload } from "jose";
import { createTestDatabase, TEST_PROVIDER, type TestDatabase } from "@/lib/testing/test-db";
import { useSsoSettings } from "@/lib/testing/test-sso";

/**
 * A step-up at the IdP is a step-up attempt like a passkey assertion (PSD2 RTS Art. 4(3)(b)): a
 * wrong answer counts on the same per-customer lockout, its point taken before the answer is checked.
 * The IdP here is a small issuer on 127.0.0.1 (discovery, JWKS, token endpoint, RS256), answering each
 * code with the ID token the test chose, so the whole callback path runs as in production.
 */
const STEP_UP_ACR = "urn:test:idp:mfa";
const ORIGIN = "http://localhost:3000";
const key = generateKeyPairSync("rsa", { modulusLength: 2048 });
const kid = randomBytes(4).toString("hex");
const tokens = new Map<string, JWTPayload>();
let issuer = "";
const server = http.createServer((req, res) => {
  const send = (body: unknown) =>
    res.writeHead(200, { "content-type": "application/json", "cache-control": "no-store" }).end(JSON.stringify(body));
  if (req.url === "/.well-known/openid-configuration") {
    send({
      issuer,
      jwks_uri: `${issuer}/jwks`,
      authorization_endpoint: `${issuer}/auth`,
      token_endpoint: `${issuer}/token`,
      response_types_supported: ["code"],
      subject_types_supported: ["public"],
      id_token_signing_alg_values_supported: ["RS256"],
    });
  } else if (req.url === "/jwks") {
    void exportJWK(key.publicKey).then((jwk) => send({ keys: [{ ...jwk, kid, alg: "RS256", use: "sig" }] }));
  } else if (req.url === "/token" && req.method === "POST") {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      const claims = tokens.get(new URLSearchParams(body).get("code") ?? "");
      if (!claims)
        return void res
          .writeHead(400, { "content-type": "application/json" })
          .end(JSON.stringify({ error: "invalid_grant" }));
      void new SignJWT(claims)
        .setProtectedHeader({ alg: "RS256", kid })
        .setIssuer(issuer)
        .setAudience("vault")
        .setIssuedAt()
        .setExpirationTime("5m")
        .sign(key.privateKey)
        .then((idToken) => send({ access_token: "at", token_type: "Bearer", expires_in: 60, id_token: idToken }));
    });
  } else res.writeHead(404).end();
});

let testDb: TestDatabase;
let db: typeof import("@/lib/db").db;
let ssoStepUp: typeof import("@/lib/auth/sso-step-up");

before(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // Before lib/ is imported: lib/env.ts reads the settings once.
  useSsoSettings({ issuer, clientId: "vault", clientSecret: "secret", stepUpAcr: STEP_UP_ACR });
  testDb = await createTestDatabase();
  db = (await import("@/lib/db")).db;
  ssoStepUp = await import("@/lib/auth/sso-step-up");
});
after(async () => {
  await db?.$disconnect();
  await testDb?.drop();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const PASSWORD = "a long test passphrase";

/** A customer with a password, linked to an account at the test IdP, in a password session. */
async function ssoCustomer() {
  const users = await import("@/lib/auth/users");
  const created = await users.createUser(
    users.signUpSchema.parse({ name: "Sso", email: `sso-${randomUUID()}@example.com`, password: PASSWORD }),
  );
  const subject = `sub-${randomUUID()}`;
  await db.federatedIdentity.create({ data: { userId: created.id, issuer, subject } });
  const user: import("@/lib/auth/current-user").SessionUser = {
    id: created.id,
    email: created.email,
    name: "Sso",
    sid: `sid-${randomUUID()}`,
    claims: { amr: ["pwd"], acr: "urn:vault:acr:aal1", auth_time: Math.floor(Date.now() / 1000) },
  };
  return { user, subject };
}

describe(`step-up at the IdP counts on the step-up lockout (${TEST_PROVIDER})`, () => {
  it("of 20 racing IdP answers for another IdP account, at most 5 are evaluated; then a right answer is refused too", async () => {
    const { createIntent } = await import("@/lib/assurance/intents");
    const { user, subject } = await ssoCustomer();
    // One pending intent and IdP request per racer (and one more for the right answer at the end).
    const callbacks: URL[] = [];
    for (let i = 0; i <= 20; i++) {
      const intentId = await createIntent(user, "account.reveal", { accountId: `acc-${i}` });
      const begun = await ssoStepUp.beginSsoStepUpFor(user, intentId, ORIGIN);
      assert.ok(begun.ok, JSON.stringify(begun));
      const request = await db.ssoStepUp.findFirstOrThrow({ where: { intentId } });
      const code = `code-${i}-${randomUUID()}`;
      // The racers signed in at the IdP as someone else; the last one as the customer, with the acr asked for.
      tokens.set(code, {
        sub: i < 20 ? `someone-else-${i}` : subject,
        nonce: request.nonce,
        acr: STEP_UP_ACR,
        auth_time: Math.floor(Date.now() / 1000),
      });
      const callback = new URL(`${ORIGIN}${ssoStepUp.SSO_STEP_UP_CALLBACK}`);
      callback.search = new URLSearchParams({ code, state: request.state }).toString();
      callbacks.push(callback);
    }
    const results = await Promise.all(
      callbacks.slice(0, 20).map((cb) => ssoStepUp.completeSsoStepUpFor(user, cb, ORIGIN)),
    );
    const problems = results.map((r) => (r.ok ? "ok" : r.problem));
    const evaluated = await db.auditEvent.count({
      where: { userId: user.id, action: "step_up.verify", reason: "sso_other_account" },
    });
    console.log(
      `  IdP answers evaluated: ${evaluated} of 20; refused as locked: ${problems.filter((p) => p === "locked").length} (${TEST_PROVIDER})`,
    );
    assert.ok(evaluated <= 5, `${evaluated} evaluated`);
    assert.ok(
      problems.every((p) => p === "other_account" || p === "locked"),
      problems.join(", "),
    );
    assert.equal(await db.auditEvent.count({ where: { userId: user.id, action: "step_up.locked" } }), 1);
    const right = await ssoStepUp.completeSsoStepUpFor(user, callbacks[20], ORIGIN);
    assert.equal(right.ok === false && right.problem, "locked", "the lock holds for the IdP as for passkeys");
  });

  it("a payee asked for before a recovery sign-in is not added when the IdP confirms it during the hold (issue 16, finding 1)", async () => {
    const codes = await import("@/lib/auth/recovery-codes");
    const { authenticateWithRecoveryCode } = await import("@/lib/auth/recovery-sign-in");
    const { payeeAdd } = await import("@/lib/banking/payees");
    const { perform } = await import("@/lib/assurance/pipeline");
    const { StepUpRequired } = await import("@/lib/assurance/guard");
    const { user, subject } = await ssoCustomer();
    const sheet = await codes.makeRecoveryCodes();
    await db.$transaction((tx) => sheet.store(tx, user.id, "regenerated"));
    const mallory = { name: "Mallory", scheme: "iban", iban: "DE89370400440532013000" };
    const intentId = await perform(payeeAdd, user, mallory).then(
      () => assert.fail("expected a step-up"),
      (err: unknown) => (err instanceof StepUpRequired ? err.intentId : Promise.reject(err)),
    );
    /** The IdP's right answer for the customer's step-up request for this intent. */
    const answerFor = async () => {
      const begun = await ssoStepUp.beginSsoStepUpFor(user, intentId, ORIGIN);
      assert.ok(begun.ok, JSON.stringify(begun));
      const request = await db.ssoStepUp.findFirstOrThrow({ where: { intentId }, orderBy: { requestedAt: "desc" } });
      const code = `code-hold-${randomUUID()}`;
      tokens.set(code, {
        sub: subject,
        nonce: request.nonce,
        acr: STEP_UP_ACR,
        auth_time: Math.floor(Date.now() / 1000) + 1,
      });
      const callback = new URL(`${ORIGIN}${ssoStepUp.SSO_STEP_UP_CALLBACK}`);
      callback.search = new URLSearchParams({ code, state: request.state }).toString();
      return callback;
    };
    const answer = await answerFor();
    assert.ok(await authenticateWithRecoveryCode({ email: user.email, password: PASSWORD, code: sheet.codes[0] }));
    // The recovery sign-in cancelled the intent: the IdP's answer confirms nothing.
    const cancelled = await ssoStepUp.completeSsoStepUpFor(user, answer, ORIGIN);
    assert.equal(cancelled.ok, false);
    // An intent still pending when the hold began (a race the cancellation can't see) is held too.
    await db.stepUpIntent.update({ where: { id: intentId }, data: { status: "PENDING", cancelReason: null } });
    const held = await ssoStepUp.completeSsoStepUpFor(user, await answerFor(), ORIGIN);
    assert.ok(held.ok, JSON.stringify(held));
    assert.equal(held.result.ok === false && held.result.code, "held");
    assert.equal(await db.payee.count({ where: { userId: user.id, name: "Mallory" } }), 0, "no payee added");
  });
});

import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/test-db";
import { startTestIssuer, type TestIssuer } from "@/lib/testing/test-sso";

/** Single sign-on's mapping from a verified ID token to a Vault customer and claims, on a real database. */
let idp: TestIssuer;

let testDb: TestDatabase;
let db: typeof import("@/lib/db").db;
let sso: typeof import("@/lib/auth/sso");
const nowS = () => Math.floor(Date.now() / 1000);
const idToken = (over: Record<string, unknown> = {}) => ({
  sub: `sub-${randomUUID()}`,
  email: `sso-${randomUUID()}@example.com`,
  email_verified: true,
  name: "Sam SSO",
  auth_time: nowS() - 5,
  acr: "urn:vault:idp:mfa",
  amr: ["pwd", "otp", "mfa"],
  ...over,
});

before(async () => {
  idp = await startTestIssuer(); // before lib/ is imported: it sets the OIDC_* settings
  testDb = await createTestDatabase();
  db = (await import("@/lib/db")).db;
  sso = await import("@/lib/auth/sso");
});
after(async () => {
  await idp.stop();
  await db.$disconnect();
  await testDb.drop();
});

describe("single sign-on", () => {
  it("takes only registered amr values and a plausible auth_time from the ID token, and never more than Vault's base acr", () => {
    const claims = sso.ssoSignInClaims({
      auth_time: nowS() - 30,
      acr: "urn:vault:acr:phr",
      amr: ["pwd", "otp", "hwk", "bogus", 7, "pwd"],
    });
    assert.deepEqual(claims.amr, ["pwd", "otp", "hwk"]);
    assert.equal(claims.acr, "urn:vault:acr:aal1");
    assert.equal(claims.phr_time, undefined);
    for (const [auth_time, why] of [
      [undefined, /missing/],
      ["123", /missing/],
      [nowS() + 600, /future/],
      [nowS() - 13 * 3600, /older/],
    ] as const) {
      assert.throws(() => sso.ssoSignInClaims({ auth_time }), why);
    }
  });

  it("opens a customer with accounts for a new IdP account, and finds the same one next time by (iss, sub)", async () => {
    const token = idToken();
    const first = await sso.userForIdToken(await idp.sign(token));
    assert.ok(first.vaultUserId);
    assert.equal(first.method, "sso");
    assert.equal(await db.account.count({ where: { userId: first.vaultUserId } }), 2);
    const again = await sso.userForIdToken(
      await idp.sign({ ...token, email: "changed@example.com", auth_time: nowS() }),
    );
    assert.equal(again.vaultUserId, first.vaultUserId);
    assert.equal(await db.user.count({ where: { id: first.vaultUserId } }), 1);
  });

  it("never joins an IdP account to an existing customer by email, and refuses a foreign issuer or an unverified email", async () => {
    const users = await import("@/lib/auth/users");
    const existing = await users.createUser(
      users.signUpSchema.parse({
        name: "Pat",
        email: `pat-${randomUUID()}@example.com`,
        password: "a long test passphrase",
      }),
    );
    const before = await db.user.count();
    await assert.rejects(sso.userForIdToken(await idp.sign(idToken({ email: existing.email }))), /already exists/);
    await assert.rejects(sso.userForIdToken(await idp.sign(idToken({ iss: "https://evil.example" }))), /not verified/);
    await assert.rejects(sso.userForIdToken(await idp.sign(idToken({ email_verified: false }))), /verified email/);
    await assert.rejects(sso.userForIdToken(await idp.sign(idToken({ sub: "" }))), /sub missing/);
    // Claims that aren't signed by the IdP's published key, or not for Vault, are never used.
    await assert.rejects(sso.userForIdToken(await idp.sign(idToken(), { foreignKey: true })), /not verified/);
    await assert.rejects(sso.userForIdToken(await idp.sign(idToken(), { audience: "another-app" })), /not verified/);
    await assert.rejects(sso.userForIdToken(idToken()), /no ID token/);
    assert.equal(await db.user.count(), before);
    assert.equal(await db.federatedIdentity.count({ where: { userId: existing.id } }), 0);
  });
});

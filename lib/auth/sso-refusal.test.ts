/**
 * Issue 16, 10f: a single sign-on Vault refuses (an email already taken, a token that doesn't verify,
 * a stale auth_time) ends on the login page with its reason, instead of Auth.js' generic
 * error=Configuration and a logged stack trace. Auth.js logs (and turns into "Configuration") only
 * what its profile step throws, so the refusal must come back as a value; e2e/sso.spec.ts follows
 * the whole redirect flow through a real IdP.
 */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/test-db";
import { startTestIssuer, type TestIssuer } from "@/lib/testing/test-sso";

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

describe("a refused single sign-on", () => {
  it("comes back from the profile step as its reason (nothing thrown for Auth.js to log), and the signIn callback sends it to the login page", async () => {
    const users = await import("@/lib/auth/users");
    const taken = await users.createUser(
      users.signUpSchema.parse({
        name: "Pat",
        email: `pat-${randomUUID()}@example.com`,
        password: "a long test passphrase",
      }),
    );
    const cases = [
      [await idp.sign(idToken({ email: taken.email })), "email_taken"],
      [await idp.sign(idToken(), { foreignKey: true }), "not_verified"],
      [await idp.sign(idToken({ auth_time: nowS() - 13 * 3600 })), "auth_time"],
      [await idp.sign(idToken({ auth_time: nowS() + 600 })), "auth_time"],
      [await idp.sign(idToken({ email_verified: false })), "no_email"],
    ] as const;
    for (const [token, reason] of cases) {
      const user = await sso.ssoProfile(token);
      assert.deepEqual(user, { ssoRefused: reason });
      assert.equal(sso.ssoSignInRedirect(user), `/login?error=SsoRefused&reason=${reason}`);
    }
    assert.equal(await db.federatedIdentity.count({ where: { userId: taken.id } }), 0);
    const denied = await db.auditEvent.findMany({
      where: { action: "auth.sign_in", outcome: "DENIED" },
      select: { reason: true },
    });
    assert.equal(denied.length, cases.length, "each refusal audited once");
  });

  it("lets a good sign-in through, and every other sign-in method", async () => {
    const user = await sso.ssoProfile(await idp.sign(idToken()));
    assert.ok(user.vaultUserId);
    assert.equal(sso.ssoSignInRedirect(user), true);
    assert.equal(sso.ssoSignInRedirect({}), true); // password, passkey and recovery sign-ins
  });

  it("has a message for each reason that says what to do, and a safe one for anything else", () => {
    const messages = sso.SSO_REFUSALS.map((code) => sso.ssoRefusalMessage(code, "Example SSO", "Vault"));
    assert.equal(new Set(messages).size, sso.SSO_REFUSALS.length);
    assert.match(sso.ssoRefusalMessage("email_taken", "Example SSO", "Vault"), /already has the email address/);
    assert.match(sso.ssoRefusalMessage("<script>", "Example SSO", "Vault"), /couldn't be verified/);
  });
});

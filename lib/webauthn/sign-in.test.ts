import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { describe, it } from "node:test";
import { customerWithPasskey, type CustomerWithPasskey } from "@/lib/testing/fixtures";
import { TEST_PROVIDER, withTestDb, type TestDb } from "@/lib/testing/test-db";

/**
 * Usernameless passkey sign-in's challenges (issue 16, 10c): asking for options stores nothing, so one
 * anonymous client can't fill a shared cap and make passkey sign-in "busy" for everyone; every
 * challenge is still Vault's own, expires, and works once.
 */
const ORIGIN = "http://localhost:3000";
const RP_ID = "localhost";

let db: TestDb["db"];
let signIn: typeof import("@/lib/webauthn/sign-in");
let alice: CustomerWithPasskey;
withTestDb(async (testDb) => {
  db = testDb;
  signIn = await import("@/lib/webauthn/sign-in");
  alice = await customerWithPasskey(db, "Alice");
});

const signInCount = () => db.webAuthnChallenge.count({ where: { purpose: "SIGN_IN" } });
const answer = (challenge: string) =>
  JSON.stringify(
    alice.key.assert({
      challenge,
      origin: ORIGIN,
      rpId: RP_ID,
      userHandle: Buffer.from(alice.userId).toString("base64url"),
    }),
  );

describe(`passkey sign-in challenges (${TEST_PROVIDER})`, () => {
  it("a flood of option requests from one anonymous client stores nothing, and the next customer still gets options and signs in", async () => {
    const before = await signInCount();
    const flood = await Promise.all(Array.from({ length: 300 }, () => signIn.beginPasskeySignIn()));
    assert.equal(flood.filter((r) => r.ok).length, 300);
    assert.equal(await signInCount(), before, "asking for options wrote nothing to the database");
    // Even with the table as full as the old shared cap (10,000 live challenges) allowed, sign-in goes on.
    const expiresAt = new Date(Date.now() + 60_000);
    const filler = Array.from({ length: 10_000 }, () => ({
      purpose: "SIGN_IN",
      challenge: randomBytes(32).toString("base64url"),
      expiresAt,
    }));
    await db.webAuthnChallenge.createMany({ data: filler });
    try {
      const start = await signIn.beginPasskeySignIn();
      assert.ok(start.ok, "not busy");
      assert.equal((await signIn.verifyPasskeySignIn(answer(start.options.challenge)))?.id, alice.userId);
    } finally {
      await db.webAuthnChallenge.deleteMany({ where: { challenge: { in: filler.map((f) => f.challenge) } } });
    }
  });

  it("a challenge works once, even when the same response races itself", async () => {
    const start = await signIn.beginPasskeySignIn();
    assert.ok(start.ok);
    const response = answer(start.options.challenge);
    const results = await Promise.all(Array.from({ length: 10 }, () => signIn.verifyPasskeySignIn(response)));
    assert.equal(results.filter((r) => r?.id === alice.userId).length, 1);
    assert.equal(
      await signIn.verifyPasskeySignIn(answer(start.options.challenge)),
      null,
      "a fresh assertion over the used challenge",
    );
  });

  it("refuses a challenge Vault didn't issue (a forged or altered one) and one that has expired", async () => {
    const issued = Buffer.from(signIn.mintSignInChallenge(Date.now() + 60_000));
    const altered = Buffer.from(issued);
    altered[20] ^= 1; // a later expiry, with the old MAC
    const forged = randomBytes(issued.length);
    const expired = Buffer.from(signIn.mintSignInChallenge(Date.now() - 1));
    for (const challenge of [altered, forged, expired])
      assert.equal(await signIn.verifyPasskeySignIn(answer(challenge.toString("base64url"))), null);
    assert.equal((await signIn.verifyPasskeySignIn(answer(issued.toString("base64url"))))?.id, alice.userId);
  });

  it("records used challenges only until they expire", async () => {
    const used = Buffer.from(signIn.mintSignInChallenge(Date.now() + 60_000)).toString("base64url");
    await db.webAuthnChallenge.create({
      data: {
        purpose: "SIGN_IN",
        challenge: randomBytes(40).toString("base64url"),
        expiresAt: new Date(Date.now() - 1000),
      },
    });
    assert.ok(await signIn.verifyPasskeySignIn(answer(used)));
    assert.equal(
      await db.webAuthnChallenge.count({ where: { purpose: "SIGN_IN", expiresAt: { lte: new Date() } } }),
      0,
    );
  });
});

import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, it } from "node:test";
import * as binding from "@/lib/assurance/binding";
import { customerWithPasskey } from "@/lib/testing/fixtures";
import type { SoftAuthenticator } from "@/lib/testing/soft-authenticator";
import { createTestDatabase, TEST_PROVIDER, type TestDatabase } from "@/lib/testing/test-db";

/**
 * The server's half of a WebAuthn assertion, fed with real ES256 signatures from a software
 * authenticator (the browser half is covered by the e2e suite). The environment's defaults apply:
 * rpID "localhost", origin http://localhost:3000.
 */
const ORIGIN = "http://localhost:3000";
const RP_ID = "localhost";

let testDb: TestDatabase;
let db: typeof import("@/lib/db").db;
let verifyAssertion: typeof import("@/lib/webauthn/assertion").verifyAssertion;
let signIn: typeof import("@/lib/webauthn/sign-in");

type Owner = { userId: string; key: SoftAuthenticator };
let alice: Owner;
let bob: Owner;

async function ownerWithPasskey(name: string): Promise<Owner> {
  const { userId, key } = await customerWithPasskey(db, name);
  return { userId, key };
}

const challenge = () => randomBytes(32).toString("base64url");

before(async () => {
  testDb = await createTestDatabase();
  db = (await import("@/lib/db")).db;
  verifyAssertion = (await import("@/lib/webauthn/assertion")).verifyAssertion;
  signIn = await import("@/lib/webauthn/sign-in");
  alice = await ownerWithPasskey("alice");
  bob = await ownerWithPasskey("bob");
});
after(async () => {
  await db?.$disconnect();
  await testDb?.drop();
});

describe(`verifying a passkey assertion (${TEST_PROVIDER})`, () => {
  it("accepts a correct assertion with UV, reports the flags, and stores the counter and last use", async () => {
    const c = challenge();
    const result = await verifyAssertion(
      alice.key.assert({ challenge: c, origin: ORIGIN, rpId: RP_ID }),
      (x) => x === c,
      alice.userId,
    );
    assert.equal(result.ok, true);
    assert.ok(result.ok && result.flags.userVerified && result.flags.deviceType === "singleDevice");
    const row = await db.passkey.findUniqueOrThrow({ where: { id: alice.key.credentialId } });
    assert.ok(row.counter > 0n);
    assert.ok(row.lastUsedAt);
  });

  const rejects: [string, (c: string) => Parameters<typeof verifyAssertion>][] = [
    [
      "no user verification (UV=0): a single factor (NIST SP 800-63B-4 Appendix B)",
      (c) => [
        alice.key.assert({ challenge: c, origin: ORIGIN, rpId: RP_ID, userVerified: false }),
        (x) => x === c,
        alice.userId,
      ],
    ],
    [
      "an assertion made on another origin",
      (c) => [
        alice.key.assert({ challenge: c, origin: "http://localhost:4444", rpId: RP_ID }),
        (x) => x === c,
        alice.userId,
      ],
    ],
    [
      "an assertion for another relying party",
      (c) => [alice.key.assert({ challenge: c, origin: ORIGIN, rpId: "evil.example" }), (x) => x === c, alice.userId],
    ],
    [
      "a challenge the server didn't issue",
      (c) => [alice.key.assert({ challenge: challenge(), origin: ORIGIN, rpId: RP_ID }), (x) => x === c, alice.userId],
    ],
    [
      "another user's credential, in this user's step-up",
      (c) => [bob.key.assert({ challenge: c, origin: ORIGIN, rpId: RP_ID }), (x) => x === c, alice.userId],
    ],
    [
      "a rolled-back counter (a cloned key)",
      (c) => [
        alice.key.assert({ challenge: c, origin: ORIGIN, rpId: RP_ID, counter: 1 }),
        (x) => x === c,
        alice.userId,
      ],
    ],
    ["a malformed response", (c) => [{ id: "x", response: "nope" }, (x) => x === c, alice.userId]],
    [
      "an unknown credential",
      (c) => [
        { ...alice.key.assert({ challenge: c, origin: ORIGIN, rpId: RP_ID }), id: "unknown", rawId: "unknown" },
        (x) => x === c,
        alice.userId,
      ],
    ],
  ];
  for (const [what, args] of rejects) {
    it(`rejects ${what}, leaving the stored counter as it was`, async () => {
      const counterBefore = (await db.passkey.findUniqueOrThrow({ where: { id: alice.key.credentialId } })).counter;
      const result = await verifyAssertion(...args(challenge()));
      assert.equal(result.ok, false);
      assert.equal(
        (await db.passkey.findUniqueOrThrow({ where: { id: alice.key.credentialId } })).counter,
        counterBefore,
      );
    });
  }

  it("a tampered signature fails", async () => {
    const c = challenge();
    const response = alice.key.assert({ challenge: c, origin: ORIGIN, rpId: RP_ID });
    const sig = Buffer.from(response.response.signature, "base64url");
    sig[sig.length - 1] ^= 0x01;
    response.response.signature = sig.toString("base64url");
    assert.equal((await verifyAssertion(response, (x) => x === c, alice.userId)).ok, false);
  });
});

describe(`transaction binding with a real signature (${TEST_PROVIDER})`, () => {
  it("verifies against the stored intent, and fails once one byte of it changes (PSD2 RTS Art. 5(1)(d))", async () => {
    const intent = binding.canonicalJson({
      action: "transfer.payee",
      amount: "1250.00",
      currency: "USD",
      to: { name: "ACME Ltd" },
    });
    const nonce = randomBytes(32);
    const signed = Buffer.from(binding.boundChallenge(nonce, binding.payloadHashOf(intent))).toString("base64url");
    const ok = await verifyAssertion(
      alice.key.assert({ challenge: signed, origin: ORIGIN, rpId: RP_ID }),
      (x) => binding.challengeMatches(x, nonce, intent),
      alice.userId,
    );
    assert.equal(ok.ok, true);

    const changed = intent.replace("1250.00", "9250.00");
    const again = Buffer.from(binding.boundChallenge(nonce, binding.payloadHashOf(intent))).toString("base64url");
    const bad = await verifyAssertion(
      alice.key.assert({ challenge: again, origin: ORIGIN, rpId: RP_ID }),
      (x) => binding.challengeMatches(x, nonce, changed),
      alice.userId,
    );
    assert.equal(bad.ok, false);
  });
});

describe(`usernameless passkey sign-in (${TEST_PROVIDER})`, () => {
  const userHandle = (o: Owner) => Buffer.from(o.userId).toString("base64url");
  const begin = async () => {
    const start = await signIn.beginPasskeySignIn();
    assert.ok(start.ok);
    return start.options;
  };

  it("signs in with the passkey's claims, once per challenge", async () => {
    const options = await begin();
    assert.equal(options.userVerification, "required");
    assert.deepEqual(options.allowCredentials ?? [], []);
    const response = JSON.stringify(
      alice.key.assert({ challenge: options.challenge, origin: ORIGIN, rpId: RP_ID, userHandle: userHandle(alice) }),
    );
    const user = await signIn.verifyPasskeySignIn(response);
    assert.equal(user?.id, alice.userId);
    assert.deepEqual(user?.claims.amr, ["pop", "user", "mfa"]);
    assert.equal(user?.claims.acr, "urn:vault:acr:phr");
    assert.equal(user?.claims.phr_time, user?.claims.auth_time);
    assert.equal(await signIn.verifyPasskeySignIn(response), null, "the same response again: the challenge is gone");
  });

  it("refuses a user handle that names someone else or is missing, a challenge it never issued, and junk", async () => {
    const options = await begin();
    const lying = alice.key.assert({
      challenge: options.challenge,
      origin: ORIGIN,
      rpId: RP_ID,
      userHandle: userHandle(bob),
    });
    assert.equal(await signIn.verifyPasskeySignIn(JSON.stringify(lying)), null);
    const fresh = await begin();
    const noHandle = alice.key.assert({ challenge: fresh.challenge, origin: ORIGIN, rpId: RP_ID }); // discoverable credentials must return it
    assert.equal(await signIn.verifyPasskeySignIn(JSON.stringify(noHandle)), null);
    const unissued = alice.key.assert({ challenge: challenge(), origin: ORIGIN, rpId: RP_ID });
    assert.equal(await signIn.verifyPasskeySignIn(JSON.stringify(unissued)), null);
    for (const junk of [
      undefined,
      "",
      "{",
      "null",
      "x".repeat(20_000),
      JSON.stringify({ response: { clientDataJSON: "%%%" } }),
    ]) {
      assert.equal(await signIn.verifyPasskeySignIn(junk), null);
    }
  });
});

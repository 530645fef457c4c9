import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { describe, it } from "node:test";
import fc from "fast-check";
import { boundChallenge, canonicalJson, challengeMatches, nonceOf, payloadHashOf } from "@/lib/assurance/binding";

const payload = canonicalJson({
  action: "transfer.payee",
  amount: 125_000n,
  currency: "USD",
  payee: { name: "ACME Ltd", iban: "GB82WEST12345698765432" },
});

describe("canonical JSON", () => {
  it("sorts keys at every depth and writes bigints as strings", () => {
    assert.equal(canonicalJson({ b: 1, a: { d: [2n, "x"], c: null } }), '{"a":{"c":null,"d":["2","x"]},"b":1}');
  });
  it("is the same for objects built in any key order", () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.oneof(fc.string(), fc.integer(), fc.boolean())), (obj) => {
        const reversed = Object.fromEntries(Object.entries(obj).reverse());
        return canonicalJson(obj) === canonicalJson(reversed);
      }),
    );
  });
});

describe("challenge binding (PSD2 RTS Art. 5(1))", () => {
  const nonce = randomBytes(32);
  const challenge = Buffer.from(boundChallenge(nonce, payloadHashOf(payload))).toString("base64url");

  it("matches the intent it was made for", () => {
    assert.equal(challengeMatches(challenge, nonce, payload), true);
  });

  it("fails when any single byte of the intent changes", () => {
    for (let i = 0; i < payload.length; i++) {
      const changed = payload.slice(0, i) + String.fromCharCode(payload.charCodeAt(i) ^ 1) + payload.slice(i + 1);
      assert.equal(challengeMatches(challenge, nonce, changed), false, `byte ${i}`);
    }
  });

  it("fails for another nonce, or a truncated or padded challenge", () => {
    assert.equal(challengeMatches(challenge, randomBytes(32), payload), false);
    assert.equal(challengeMatches(challenge.slice(0, -2), nonce, payload), false);
    assert.equal(challengeMatches(challenge + "AA", nonce, payload), false);
    assert.equal(challengeMatches("", nonce, payload), false);
  });

  it("names its nonce, and only a well-formed challenge names one", () => {
    assert.equal(nonceOf(challenge), nonce.toString("base64url"));
    for (const bad of ["", challenge.slice(0, -2), `${challenge}AA`, `${challenge.slice(0, -1)}=`, "x".repeat(86)])
      assert.equal(nonceOf(bad), null, bad);
  });

  it("a changed amount is a different challenge", () => {
    const other = canonicalJson({
      action: "transfer.payee",
      amount: 125_001n,
      currency: "USD",
      payee: { name: "ACME Ltd", iban: "GB82WEST12345698765432" },
    });
    assert.equal(challengeMatches(challenge, nonce, other), false);
  });
});

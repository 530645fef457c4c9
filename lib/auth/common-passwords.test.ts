import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { isCommonPassword } from "@/lib/auth/common-passwords";

describe("common-password blocklist (NIST SP 800-63B-4 §3.1.1.2)", () => {
  it("refuses listed passwords whatever the case, spaces and punctuation", () => {
    for (const p of [
      "passwordpassword",
      "Correct horse, battery staple!",
      "QWERTYUIOPASDFGH",
      "I love you, I love you",
      "welcome-welcome",
    ]) {
      assert.equal(isCommonPassword(p), true, p);
    }
  });
  it("refuses repeats, digit runs and little more than the bank's name", () => {
    for (const p of [
      "aaaaaaaaaaaaaaa",
      "abababababababab",
      "🔐".repeat(15),
      "123456789012345",
      "000000000000000000",
      "Vault Bank Password",
      "vaultvaultvault1",
    ]) {
      assert.equal(isCommonPassword(p), true, p);
    }
  });
  it("accepts long, unrelated words and the demo passwords", () => {
    for (const p of [
      "plum kettle orbit saffron",
      "demo-password-alice",
      "an e2e passphrase that is long",
      "a long test passphrase",
      "🔐🦊🌍🎲🚲🌵🎈🧭🪁🛶🍋🎻🧩🪴🦉",
    ]) {
      assert.equal(isCommonPassword(p), false, p);
    }
  });
});

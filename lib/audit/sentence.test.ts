import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { deviceOf } from "@/lib/audit/device";
import { auditSentence } from "@/lib/audit/sentence";

describe("audit sentences", () => {
  it("names the device from the user agent with a parser, never a cut string", () => {
    assert.equal(
      deviceOf("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/146.0.0.0 Safari/537.36"),
      "Chrome on Linux",
    );
    assert.equal(
      deviceOf(
        "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1",
      ),
      "Safari on iOS",
    );
    for (const notABrowser of ["curl/8.5.0", "node", "", null, "x".repeat(5000)])
      assert.equal(deviceOf(notABrowser), null);
  });

  it("reads as a customer would say it, with the names the log joined", () => {
    const e = (
      action: string,
      metadata: Record<string, unknown> = {},
      extra: Partial<Parameters<typeof auditSentence>[0]> = {},
    ) => auditSentence({ action, outcome: "SUCCESS", reason: null, metadata, ...extra });
    assert.equal(
      e("payee.add", { destination: "IBAN ••• 5432" }, { subject: "Northwind Traders" }),
      "You added Northwind Traders (IBAN ••• 5432)",
    );
    assert.equal(
      e("transfer.create", { amount: "125000", currency: "USD", to: "payee" }, { subject: "ACME Ltd" }),
      "You sent $1,250.00 to ACME Ltd",
    );
    assert.equal(
      e(
        "transfer.create",
        { amount: "125000", currency: "USD", to: "payee" },
        { subject: "ACME Ltd", outcome: "DENIED", reason: "insufficient_funds" },
      ),
      "A payment of $1,250.00 to ACME Ltd was refused, because there wasn't enough money in the account",
    );
    assert.equal(
      e("auth.sign_in", { method: "passkey", passkey: "Laptop" }),
      "You signed in with your passkey “Laptop”",
    );
    assert.equal(
      e("assurance.decision", { policy: "payee.add" }, { outcome: "STEP_UP_REQUIRED", reason: "acr_too_low" }),
      "Vault asked for your passkey to add a payee",
    );
    assert.equal(
      e("assurance.decision", { policy: "not.a.policy" }, { outcome: "DENIED", reason: "weird_code" }),
      "A request to do that was refused",
    );
    assert.equal(
      e(
        "step_up.verify",
        { policy: "transfer.payee" },
        { outcome: "FAILURE", reason: "Response counter value 6 was lower than expected 6" },
      ),
      "A confirmation to send money to a payee was refused, because the passkey's use count went backwards, which can mean it was copied. If that wasn't you, remove that passkey",
    );
    assert.equal(e("something.new"), null);
  });
});

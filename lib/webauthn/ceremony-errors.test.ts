import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ceremonyMessage, classifyCeremonyError } from "@/lib/webauthn/ceremony-errors";

const dom = (name: string) => Object.assign(new Error(name), { name });

describe("passkey ceremony errors", () => {
  it("tells our own stop, a timeout, a closed prompt and a wrong site apart", () => {
    assert.equal(classifyCeremonyError(dom("AbortError"), 2_000, 60_000), "stopped");
    assert.equal(classifyCeremonyError(dom("NotAllowedError"), 60_050, 60_000), "timed_out");
    assert.equal(classifyCeremonyError(dom("NotAllowedError"), 59_200, 60_000), "timed_out"); // timers are not exact
    assert.equal(classifyCeremonyError(dom("NotAllowedError"), 4_000, 60_000), "closed_or_no_passkey");
    assert.equal(classifyCeremonyError(dom("SecurityError"), 10, 60_000), "wrong_site");
    assert.equal(classifyCeremonyError(dom("InvalidStateError"), 10, 60_000), "unknown");
    assert.equal(classifyCeremonyError("not an error", 10, 60_000), "unknown");
    assert.equal(classifyCeremonyError({ name: "AbortError" }, 10, 60_000), "stopped"); // a DOMException from another realm
  });

  it("gives every problem its own message, each saying nothing changed and what to do next", () => {
    const problems = ["stopped", "timed_out", "closed_or_no_passkey", "wrong_site", "unknown"] as const;
    const messages = problems.map((p) => ceremonyMessage(p, "Vault"));
    assert.equal(new Set(messages).size, problems.length);
    for (const m of messages.filter((_, i) => problems[i] !== "wrong_site"))
      assert.match(m, /Nothing was sent or changed\./);
    for (const m of messages) assert.match(m, /(Try again|Confirm again|Open Vault)/);
  });
});

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { auditLogRecord } from "@/lib/audit/log";
import { createLogger } from "@/lib/log";

/** A logger writing into an array, one parsed JSON object per line. */
function memoryLogger() {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger(
    { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) },
    "info",
  );
  return { logger, lines };
}

describe("structured logs", () => {
  it("an audited guard decision is one JSON line with the request id, the user, the decision and its reason", () => {
    const { logger, lines } = memoryLogger();
    const event = {
      userId: "user-1",
      action: "assurance.decision" as const,
      outcome: "STEP_UP_REQUIRED" as const,
      reason: "bound_action",
      metadata: { policy: "transfer.payee" },
    };
    logger.info(auditLogRecord(event, "req-12345678"), event.action);
    assert.equal(lines.length, 1);
    const [line] = lines;
    assert.equal(line.level, "info");
    assert.equal(line.service, "vault");
    assert.match(String(line.time), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.deepEqual(
      {
        requestId: line.requestId,
        userId: line.userId,
        event: line.event,
        outcome: line.outcome,
        reason: line.reason,
        policy: line.policy,
        msg: line.msg,
      },
      {
        requestId: "req-12345678",
        userId: "user-1",
        event: "assurance.decision",
        outcome: "STEP_UP_REQUIRED",
        reason: "bound_action",
        policy: "transfer.payee",
        msg: "assurance.decision",
      },
    );
  });

  it("never writes a secret, even when a caller passes one by mistake, at the top level or nested", () => {
    const { logger, lines } = memoryLogger();
    const secrets = {
      password: "hunter2-but-longer",
      code: "ABCD-EFGH-JKMN",
      iban: "GB82WEST12345698765432",
      token: "tok_live_123",
      challenge: "c2VjcmV0",
    };
    logger.info({ ...secrets, nested: { ...secrets, harmless: "kept" } }, "oops");
    const text = JSON.stringify(lines);
    for (const value of Object.values(secrets)) assert.ok(!text.includes(value), `${value} leaked`);
    assert.equal((lines[0].nested as Record<string, unknown>).harmless, "kept");
    assert.equal(lines[0].password, "[redacted]");
  });

  it("respects the level: below it, nothing is written", () => {
    const lines: string[] = [];
    createLogger({ write: (line: string) => void lines.push(line) }, "warn").info({ event: "x" }, "quiet");
    assert.deepEqual(lines, []);
  });
});

import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { after, describe, it } from "node:test";
import { startTestSmtp, type TestSmtp } from "@/lib/testing/smtp";
import { TEST_PROVIDER, withTestDb } from "@/lib/testing/test-db";

/**
 * `npm run worker` as the multi-instance topology runs it: two real worker processes on one database
 * deliver every queued message once, over real SMTP, and each stops cleanly (exit 0) on SIGTERM.
 */
let outbox: typeof import("@/lib/notify/outbox");
let smtp: TestSmtp;
const ROOT = path.resolve(import.meta.dirname, "../..");

const testDb = withTestDb(async () => {
  outbox = await import("@/lib/notify/outbox");
  smtp = await startTestSmtp();
});
after(() => smtp?.close());

/**
 * `npm run worker`'s own command line (package.json), with tsx's loader run in this node directly
 * rather than through the npm and tsx wrapper processes, so SIGTERM reaches the worker itself.
 */
function workerCommand(): string[] {
  const scripts = (
    JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }
  ).scripts;
  const [bin, ...args] = scripts.worker.split(" ");
  assert.equal(bin, "tsx", "npm run worker runs a TypeScript file with tsx");
  return ["--import", "tsx", ...args];
}

function startWorker(): { child: ChildProcess; exited: Promise<number | null>; output: () => string } {
  let output = "";
  const child = spawn(process.execPath, workerCommand(), {
    cwd: ROOT,
    env: {
      ...process.env,
      DATABASE_URL: testDb.database.url,
      SMTP_URL: smtp.url,
      MAIL_POLL_MS: "200",
      LOG_LEVEL: "warn",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, exited, output: () => output };
}

describe(`npm run worker (${TEST_PROVIDER})`, () => {
  it("two worker processes deliver each of 10 queued messages once, stay up between rounds, and stop cleanly on SIGTERM", async () => {
    const tag = randomUUID();
    for (let i = 0; i < 10; i++)
      await outbox.enqueueMail(testDb.db, {
        kind: "test.notice",
        userId: null,
        to: `worker-${tag}@example.com`,
        subject: `Worker ${tag} ${i}`,
        text: "plain",
        html: "<p>html</p>",
      });
    const workers = [startWorker(), startWorker()];
    try {
      const ours = () => smtp.received.filter((m) => m.subject?.includes(tag));
      const deadline = Date.now() + 60_000;
      while (ours().length < 10 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      assert.equal(ours().length, 10, `delivered: ${ours().length}\n${workers.map((w) => w.output()).join("\n")}`);
      assert.equal(new Set(ours().map((m) => m.subject)).size, 10, "each message handed over once");
      assert.equal(await testDb.db.outboxMessage.count({ where: { subject: { contains: tag }, sentAt: null } }), 0);
      // A message queued later goes out too: the processes are still polling.
      await outbox.enqueueMail(testDb.db, {
        kind: "test.notice",
        userId: null,
        to: `worker-${tag}@example.com`,
        subject: `Worker ${tag} late`,
        text: "plain",
        html: "<p>html</p>",
      });
      while (ours().length < 11 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      assert.equal(ours().length, 11);
    } finally {
      for (const w of workers) w.child.kill("SIGTERM");
    }
    assert.deepEqual(await Promise.all(workers.map((w) => w.exited)), [0, 0]);
  });
});

import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, describe, it } from "node:test";
import { signedUpCustomerWithPasskey } from "@/lib/testing/fixtures";
import { startTestSmtp, type TestSmtp } from "@/lib/testing/smtp";
import { TEST_PROVIDER, withTestDb } from "@/lib/testing/test-db";

/**
 * The mail outbox on the real database, delivered over real SMTP to a server in this process
 * (lib/testing/smtp.ts): written with its event, sent once by any number of workers, and once after a
 * worker died between sending and marking.
 */
let outbox: typeof import("@/lib/notify/outbox");
let worker: typeof import("@/lib/notify/worker");
let mailer: typeof import("@/lib/notify/mailer");
let audit: typeof import("@/lib/audit/log");
let perform: typeof import("@/lib/assurance/pipeline").perform;
let payees: typeof import("@/lib/banking/payees");
let guardModule: typeof import("@/lib/assurance/guard");
let intents: typeof import("@/lib/assurance/intents");
let smtp: TestSmtp;

const testDb = withTestDb(async () => {
  outbox = await import("@/lib/notify/outbox");
  worker = await import("@/lib/notify/worker");
  mailer = await import("@/lib/notify/mailer");
  audit = await import("@/lib/audit/log");
  perform = (await import("@/lib/assurance/pipeline")).perform;
  payees = await import("@/lib/banking/payees");
  guardModule = await import("@/lib/assurance/guard");
  intents = await import("@/lib/assurance/intents");
  smtp = await startTestSmtp();
});
after(() => smtp?.close());

const mail = (tag: string) => ({
  kind: "test.notice",
  userId: null,
  to: `customer-${tag}@example.com`,
  subject: `Notice ${tag}`,
  text: `Plain notice ${tag}`,
  html: `<p>HTML notice ${tag}</p>`,
});
const ours = (tag: string) => (m: { subject: string | null }) => m.subject?.includes(tag) === true;
const send = () => {
  const sender = mailer.smtpSender(smtp.url);
  assert.ok(sender);
  return sender;
};
/** Every message due now has gone out: runs rounds until one sends nothing. */
async function drain(workerId: string, now?: () => Date) {
  let total = 0;
  for (;;) {
    const { sent } = await worker.deliverDue({ workerId, send: send(), now });
    if (sent === 0) return total;
    total += sent;
  }
}

describe(`the mail outbox (${TEST_PROVIDER})`, () => {
  it("a message is written in its event's transaction, and rolled back with it", async () => {
    const tag = randomUUID();
    const event = { userId: null, action: "passkey.rename" as const, outcome: "SUCCESS" as const, metadata: { tag } };
    await assert.rejects(
      audit.auditedTransaction(async (tx) => {
        await audit.recordAudit(event, tx);
        await outbox.enqueueMail(tx, mail(tag));
        throw new Error("the operation failed");
      }),
      /the operation failed/,
    );
    const db = testDb.db;
    assert.equal(await db.outboxMessage.count({ where: { subject: `Notice ${tag}` } }), 0);
    assert.equal(await db.auditEvent.count({ where: { metadata: { contains: tag } } }), 0);

    await audit.auditedTransaction(async (tx) => {
      await audit.recordAudit(event, tx);
      await outbox.enqueueMail(tx, mail(tag));
    });
    assert.equal(await db.outboxMessage.count({ where: { subject: `Notice ${tag}` } }), 1);
    assert.equal(await db.auditEvent.count({ where: { metadata: { contains: tag } } }), 1);
    await drain("w1");
    const got = smtp.delivered.filter(ours(tag));
    assert.equal(got.length, 1);
    assert.deepEqual(got[0].to, [`customer-${tag}@example.com`]);
    assert.match(got[0].raw, /Plain notice/);
    assert.match(got[0].raw, /<p>HTML notice/);
  });

  it("adding a payee tells the customer, once it commits: the payee, masked, in text and escaped HTML, and nothing before", async () => {
    const c = await signedUpCustomerWithPasskey(testDb.db, "Nora Notice");
    const actor = {
      id: c.userId,
      sid: `sid-${randomUUID()}`,
      claims: { amr: ["pwd"], acr: "urn:vault:acr:aal1" as const, auth_time: Math.floor(Date.now() / 1000) },
    };
    const input = { name: "<b>Mallory</b> & Co", scheme: "iban", iban: "GB82 WEST 1234 5698 7654 32" };
    const err = await perform(payees.payeeAdd, actor, input).catch((e: unknown) => e);
    assert.ok(err instanceof guardModule.StepUpRequired);
    // Asked for, not done: nothing to tell yet.
    assert.equal(await testDb.db.outboxMessage.count({ where: { userId: c.userId } }), 0);
    const { payload } = await testDb.db.stepUpIntent.findUniqueOrThrow({ where: { id: err.intentId } });
    assert.equal(await intents.authoriseIntent(actor, err.intentId, payload), true);
    await perform(payees.payeeAdd, actor, input, { intentId: err.intentId });
    const [row] = await testDb.db.outboxMessage.findMany({ where: { userId: c.userId } });
    assert.equal(row.kind, "payee.added");
    assert.equal(row.to, c.email);
    assert.equal(row.subject, "Vault: A payee was added");
    assert.match(row.text, /A payee was added: <b>Mallory<\/b> & Co, IBAN ••• 5432\./);
    assert.match(row.text, /When: \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC/);
    assert.doesNotMatch(row.text, /GB82WEST12345698765432|1234 5698 7654/, "never the full account number");
    assert.match(row.html, /&lt;b&gt;Mallory&lt;\/b&gt; &amp; Co/);
    assert.doesNotMatch(row.html, /<b>Mallory/);
    await drain("w1");
    const got = smtp.delivered.filter((m) => m.to.includes(c.email));
    assert.equal(got.length, 1);
    assert.equal(got[0].subject, "Vault: A payee was added");
  });

  it("a worker that died between sending and marking: after its claim runs out the message goes out again as the same message, delivered once", async () => {
    const tag = randomUUID();
    const id = await outbox.enqueueMail(testDb.db, mail(tag));
    const start = Date.now();
    // The first worker sends, then never comes back (a crash before it could mark the message sent).
    let sentByFirst!: () => void;
    const firstSent = new Promise<void>((resolve) => (sentByFirst = resolve));
    let revive!: () => void;
    const stuck = worker.deliverDue({
      workerId: "dies",
      now: () => new Date(start),
      send: async (m) => {
        await send()(m);
        sentByFirst();
        await new Promise<void>((resolve) => (revive = resolve));
      },
    });
    await firstSent;
    // Before the claim runs out, nobody else sends it.
    assert.equal(await drain("restarted", () => new Date(start + 30_000)), 0);
    // After it, the restarted worker does, with the same Message-ID.
    assert.equal(await drain("restarted", () => new Date(start + 61_000)), 1);
    const copies = smtp.received.filter(ours(tag));
    assert.equal(copies.length, 2, "handed over twice");
    assert.equal(copies[0].messageId, copies[1].messageId);
    assert.equal(copies[0].messageId, worker.messageIdOf(id));
    assert.equal(smtp.delivered.filter(ours(tag)).length, 1, "delivered once");
    // The dead worker coming back can't mark what it no longer holds.
    revive();
    await stuck;
    const row = await testDb.db.outboxMessage.findUniqueOrThrow({ where: { id } });
    assert.ok(row.sentAt);
    assert.equal(row.claimedBy, null);
    assert.equal(await drain("restarted", () => new Date(start + 120_000)), 0);
  });

  it("two workers racing over 20 messages send each exactly once", async () => {
    const tag = randomUUID();
    for (let i = 0; i < 20; i++) await outbox.enqueueMail(testDb.db, mail(`${tag}-${i}`));
    const [a, b] = await Promise.all([drain("a"), drain("b")]);
    assert.equal(a + b, 20);
    const got = smtp.received.filter(ours(tag));
    assert.equal(got.length, 20, "handed over once each, not just deduplicated");
    assert.equal(new Set(got.map((m) => m.subject)).size, 20);
  });

  it("a refused message is retried after its backoff, and then sent", async () => {
    const tag = randomUUID();
    const id = await outbox.enqueueMail(testDb.db, mail(tag));
    const start = Date.now();
    smtp.refuseNext(1);
    const first = await worker.deliverDue({ workerId: "w", send: send(), now: () => new Date(start) });
    assert.deepEqual(first, { sent: 0, failed: 1 });
    const row = await testDb.db.outboxMessage.findUniqueOrThrow({ where: { id } });
    assert.equal(row.attempts, 1);
    assert.equal(row.nextAttemptAt.getTime(), start + worker.backoffMs(1));
    assert.match(row.lastError ?? "", /451|Try again/);
    assert.equal(await drain("w", () => new Date(start + 10_000)), 0, "not before its backoff");
    assert.equal(await drain("w", () => new Date(start + worker.backoffMs(1))), 1);
    assert.equal(smtp.delivered.filter(ours(tag)).length, 1);
  });
});

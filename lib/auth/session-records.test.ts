import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { createTestDatabase, TEST_PROVIDER, type TestDatabase } from "@/lib/testing/test-db";

let testDb: TestDatabase;
let db: typeof import("@/lib/db").db;
let sessions: typeof import("@/lib/auth/session-records");
let env: typeof import("@/lib/env").env;

before(async () => {
  testDb = await createTestDatabase();
  db = (await import("@/lib/db")).db;
  sessions = await import("@/lib/auth/session-records");
  env = (await import("@/lib/env")).env;
});
after(async () => {
  await db?.$disconnect();
  await testDb?.drop();
});

async function newSession() {
  const user = await db.user.create({ data: { email: `s-${randomUUID()}@example.com`, name: "S", passwordHash: "x" } });
  const id = randomUUID();
  await sessions.startSession({ id, userId: user.id, method: "password" });
  return { userId: user.id, id };
}

describe(`server-side sessions (${TEST_PROVIDER})`, () => {
  it("a new session is live for its own user only", async () => {
    const s = await newSession();
    assert.equal(await sessions.isSessionLive(s.id, s.userId), true);
    assert.equal(await sessions.isSessionLive(s.id, "someone-else"), false);
    assert.equal(await sessions.isSessionLive(randomUUID(), s.userId), false);
  });

  it("ends after the idle timeout, and activity within it keeps it going (NIST SP 800-63B-4 §2.2.3)", async () => {
    const s = await newSession();
    const idleMs = env.SESSION_IDLE_TIMEOUT_S * 1000;
    const later = new Date(Date.now() + idleMs - 5_000);
    assert.equal(
      await sessions.isSessionLive(s.id, s.userId, later),
      true,
      "just inside the window; this touches lastSeenAt",
    );
    assert.equal(
      await sessions.isSessionLive(s.id, s.userId, new Date(later.getTime() + idleMs - 5_000)),
      true,
      "activity moved the window",
    );
    await db.session.update({ where: { id: s.id }, data: { lastSeenAt: new Date(Date.now() - idleMs - 1_000) } });
    assert.equal(await sessions.isSessionLive(s.id, s.userId), false);
  });

  it("ends at the absolute timeout whatever the activity, and when revoked", async () => {
    const s = await newSession();
    const row = await db.session.findUniqueOrThrow({ where: { id: s.id } });
    assert.ok(Math.abs(row.expiresAt.getTime() - row.createdAt.getTime() - env.SESSION_MAX_AGE_S * 1000) < 5_000);
    await db.session.update({ where: { id: s.id }, data: { expiresAt: new Date(Date.now() - 1) } });
    assert.equal(await sessions.isSessionLive(s.id, s.userId), false);

    const t = await newSession();
    await sessions.revokeSession(t.id, "signed_out");
    assert.equal(await sessions.isSessionLive(t.id, t.userId), false);
  });

  it("ending the other sessions leaves this one; nobody can end someone else's", async () => {
    const a = await newSession();
    const others = [randomUUID(), randomUUID()];
    for (const id of others) await sessions.startSession({ id, userId: a.userId, method: "passkey" });
    assert.equal((await sessions.listSessionsFor({ id: a.userId, sid: a.id })).length, 3);
    assert.equal(await sessions.revokeOtherSessions(db, { id: a.userId, sid: a.id }, "password_changed"), 2);
    assert.equal(await sessions.isSessionLive(a.id, a.userId), true);
    for (const id of others) assert.equal(await sessions.isSessionLive(id, a.userId), false);

    const b = await newSession();
    await assert.rejects(sessions.revokeSessionFor({ id: a.userId, sid: a.id }, b.id), /not found/);
    assert.equal(await sessions.isSessionLive(b.id, b.userId), true);
  });

  it("names devices briefly", () => {
    assert.equal(
      sessions.deviceNameOf(
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36",
      ),
      "Chrome on Linux",
    );
    assert.equal(sessions.deviceNameOf(null), "Unknown device");
  });
});

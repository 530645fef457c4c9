import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { TEST_RP } from "@/lib/testing/step-up-in-process";
import { createTestDatabase, TEST_PROVIDER, type TestDatabase } from "@/lib/testing/test-db";

/**
 * The lockout takes a point before the work it limits (PSD2 RTS Art. 4(3)(b): at most 5 attempts),
 * so attempts fired together can't all be evaluated before the first failure is written back. Each
 * race here fires 20 at once, on the real database (SQLite, and PostgreSQL with TEST_DATABASE_URL).
 */
let testDb: TestDatabase;
let db: typeof import("@/lib/db").db;
let lockout: typeof import("@/lib/assurance/lockout");
let password: typeof import("@/lib/auth/password");
let second: import("@/lib/db").Db;

const RACERS = 20;

before(async () => {
  testDb = await createTestDatabase();
  const dbModule = await import("@/lib/db");
  db = dbModule.db;
  second = dbModule.createDb(testDb.url); // a second app instance: its own client and connections
  lockout = await import("@/lib/assurance/lockout");
  password = await import("@/lib/auth/password");
});
after(async () => {
  await second?.$disconnect();
  await db?.$disconnect();
  await testDb?.drop();
});

describe(`the lockout counts before the work (${TEST_PROVIDER})`, () => {
  it(`admits exactly 5 of ${RACERS} racing takes, split across two app instances`, async () => {
    const prefix = `race-${randomUUID()}`;
    const one = lockout.createLockout(prefix);
    const two = lockout.createLockout(prefix, lockout.LOCKOUT, second);
    const results = await Promise.all(Array.from({ length: RACERS }, (_, i) => (i % 2 ? one : two).take("someone")));
    const admitted = results.filter((r) => r.ok);
    console.log(`  takes admitted: ${admitted.length} of ${RACERS} (${TEST_PROVIDER})`);
    assert.equal(admitted.length, 5);
    assert.deepEqual(admitted.map((r) => r.ok && r.ticket.attempt).sort(), [1, 2, 3, 4, 5]);
    for (const r of results)
      if (!r.ok) assert.ok(r.state.locked && r.state.retryAfterS > 14 * 60, JSON.stringify(r.state));
    // The pause is 15 minutes from the fifth failure; on a loaded machine a second or more may pass before this read.
    const state = await one.get("someone");
    assert.deepEqual({ ...state, retryAfterS: undefined }, { locked: true, failures: 5, retryAfterS: undefined });
    assert.ok(state.retryAfterS > 14 * 60 && state.retryAfterS <= 900, JSON.stringify(state));
  });

  it(`of ${RACERS} racing password checks (real argon2id), the right one last: at most 5 are evaluated, and once locked the right password is refused`, async () => {
    const prefix = `argon-${randomUUID()}`;
    const limit = lockout.createLockout(prefix);
    const stored = await password.hashPassword("the right long passphrase");
    let evaluated = 0;
    const attempt = async (guess: string) => {
      const taken = await limit.take("victim");
      if (!taken.ok) return "refused" as const;
      evaluated++;
      if (await password.verifyPassword(stored, guess)) {
        await taken.ticket.succeeded();
        return "signed in" as const;
      }
      return taken.ticket.failed().locked ? ("failed, now locked" as const) : ("failed" as const);
    };
    const guesses = Array.from({ length: RACERS }, (_, i) =>
      i === RACERS - 1 ? "the right long passphrase" : `wrong guess number ${i}`,
    );
    const results = await Promise.all(guesses.map(attempt));
    console.log(
      `  password checks evaluated: ${evaluated} of ${RACERS}; the right password (last): ${results.at(-1)} (${TEST_PROVIDER})`,
    );
    assert.ok(evaluated <= 5, `${evaluated} evaluated`);
    if (results.includes("failed, now locked")) assert.equal(await attempt("the right long passphrase"), "refused");
  });

  it("warns from the 3rd failure and blocks at the 5th; a refund gives one point back, a success clears the count", async () => {
    const limit = lockout.createLockout(`rules-${randomUUID()}`);
    const states = [];
    for (let i = 0; i < 4; i++) {
      const t = await limit.take("k");
      assert.ok(t.ok);
      states.push(t.ticket.failed());
    }
    assert.deepEqual(
      states.map((s) => [s.failures, s.locked]),
      [
        [1, false],
        [2, false],
        [3, false],
        [4, false],
      ],
    );
    const fifth = await limit.take("k");
    assert.ok(fifth.ok);
    await fifth.ticket.refund(); // not evaluated: the budget still has one attempt left
    const again = await limit.take("k");
    assert.ok(again.ok && again.ticket.attempt === 5);
    const last = again.ticket.failed();
    assert.equal(last.locked, true);
    assert.ok(last.retryAfterS > 14 * 60);
    const refused = await limit.take("k");
    assert.equal(refused.ok, false);

    const other = await limit.take("other");
    assert.ok(other.ok);
    other.ticket.failed();
    const ok = await limit.take("other");
    assert.ok(ok.ok);
    await ok.ticket.succeeded();
    assert.deepEqual(await limit.get("other"), { locked: false, failures: 0, retryAfterS: 0 });
  });

  it("a block ends when its time is up, and the count starts again", async () => {
    const prefix = `expiry-${randomUUID()}`;
    const limit = lockout.createLockout(prefix);
    for (let i = 0; i < 5; i++) {
      const t = await limit.take("k");
      assert.ok(t.ok);
      t.ticket.failed();
    }
    assert.equal((await limit.take("k")).ok, false);
    await db.rateLimiterFlexible.update({
      where: { key: `${prefix}:k` },
      data: { expire: new Date(Date.now() - 1000) },
    });
    const results = await Promise.all(Array.from({ length: RACERS }, () => limit.take("k")));
    assert.equal(results.filter((r) => r.ok).length, 5, "a fresh window, raced: still 5");
  });

  it("a rate limit counts every request before its work and says when to come back", async () => {
    const limit = lockout.createRateLimit(`rate-${randomUUID()}`, { max: 3, windowS: 60 });
    const results = await Promise.all(Array.from({ length: 10 }, () => limit.take("client")));
    assert.equal(results.filter((r) => r.ok).length, 3);
    for (const r of results) if (!r.ok) assert.ok(r.retryAfterS > 0 && r.retryAfterS <= 60);
  });
});

describe(`racing step-up completions (${TEST_PROVIDER})`, () => {
  it(`of ${RACERS} racing completions with bad assertions, at most 5 are verified; then the right passkey is refused too`, async () => {
    const { createIntent } = await import("@/lib/assurance/intents");
    const { beginStepUpFor, completeStepUpFor } = await import("@/lib/assurance/step-up");
    const { signedUpCustomerWithPasskey } = await import("@/lib/testing/fixtures");
    const created = await signedUpCustomerWithPasskey(db, "Rae");
    const key = created.key;
    const user: import("@/lib/auth/current-user").SessionUser = {
      id: created.userId,
      email: created.email,
      name: "Rae",
      sid: `sid-${randomUUID()}`,
      claims: { amr: ["pwd"], acr: "urn:vault:acr:aal1", auth_time: Math.floor(Date.now() / 1000) },
    };
    // One pending intent (and live challenge) per racer, as 20 open step-up pages would have.
    const intents = await Promise.all(
      Array.from({ length: RACERS + 1 }, (_, i) => createIntent(user, "account.reveal", { accountId: `acc-${i}` })),
    );
    const challenges: string[] = [];
    for (const id of intents) {
      const begin = await beginStepUpFor(user, id);
      assert.ok(begin.ok, JSON.stringify(begin));
      challenges.push(begin.options.challenge);
    }
    // Signed by the right key, but without user verification: a real signature check that fails.
    const results = await Promise.all(
      intents
        .slice(0, RACERS)
        .map((id, i) =>
          completeStepUpFor(user, id, key.assert({ challenge: challenges[i], ...TEST_RP, userVerified: false })),
        ),
    );
    const rows = await db.stepUpIntent.findMany({ where: { id: { in: intents } }, select: { failedAttempts: true } });
    const evaluated = rows.reduce((n, r) => n + r.failedAttempts, 0);
    const codes = results.map((r) => (r.ok ? "ok" : r.code));
    console.log(
      `  step-up assertions verified: ${evaluated} of ${RACERS}; answers: ${codes.filter((c) => c === "failed").length} failed, ${codes.filter((c) => c === "locked").length} locked (${TEST_PROVIDER})`,
    );
    assert.ok(evaluated <= 5, `${evaluated} evaluated`);
    assert.ok(codes.every((c) => c === "failed" || c === "locked"));
    assert.equal(
      await db.auditEvent.count({ where: { userId: user.id, action: "step_up.verify", outcome: "FAILURE" } }),
      evaluated,
    );
    const good = await completeStepUpFor(
      user,
      intents[RACERS],
      key.assert({ challenge: challenges[RACERS], ...TEST_RP }),
    );
    assert.equal(good.ok === false && good.code, "locked", "the right passkey waits out the block too");
  });
});

import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { createTestDatabase, TEST_PROVIDER, type TestDatabase } from "@/lib/testing/test-db";

let testDb: TestDatabase;
let db: typeof import("@/lib/db").db;
let reauth: typeof import("@/lib/auth/reauth");
let users: typeof import("@/lib/auth/users");

const PASSWORD = "the right long passphrase";

before(async () => {
  testDb = await createTestDatabase();
  db = (await import("@/lib/db")).db;
  reauth = await import("@/lib/auth/reauth");
  users = await import("@/lib/auth/users");
});
after(async () => {
  await db?.$disconnect();
  await testDb?.drop();
});

describe(`re-entering the password while signed in (${TEST_PROVIDER})`, () => {
  it("warns from the 3rd failure, locks after the 5th even for the right password, and audits it (PSD2 RTS Art. 4(3)(b))", async () => {
    const user = await users.createUser(
      users.signUpSchema.parse({ name: "Eve", email: `eve-${randomUUID()}@example.com`, password: PASSWORD }),
    );
    const messages: string[] = [];
    for (let i = 0; i < 5; i++) {
      const result = await reauth.verifyPasswordAgain(user.id, `wrong guess ${i} that is long`, "auth.reauth");
      assert.equal(result.ok, false);
      if (!result.ok) messages.push(result.message);
    }
    assert.deepEqual(messages, [
      "That password isn't right.",
      "That password isn't right.",
      "That password isn't right. 2 attempts left before password confirmation is paused for 15 minutes.",
      "That password isn't right. 1 attempt left before password confirmation is paused for 15 minutes.",
      "Too many failed attempts. Password confirmation is paused for 15 minute(s).",
    ]);
    const locked = await reauth.verifyPasswordAgain(user.id, PASSWORD, "auth.reauth");
    assert.deepEqual(locked, {
      ok: false,
      message: "Too many failed attempts. Password confirmation is paused for 15 minute(s).",
    });
    assert.equal(await db.auditEvent.count({ where: { userId: user.id, action: "auth.reauth_locked" } }), 1);
    assert.equal(
      await db.auditEvent.count({
        where: { userId: user.id, action: "auth.reauth", outcome: "DENIED", reason: "locked_out" },
      }),
      1,
    );
  });

  it("the right password clears earlier failures; junk input counts as a failure, never a crash", async () => {
    const user = await users.createUser(
      users.signUpSchema.parse({ name: "Fay", email: `fay-${randomUUID()}@example.com`, password: PASSWORD }),
    );
    for (const junk of [undefined, 42, "x".repeat(10_000), { toString: () => PASSWORD }]) {
      assert.equal((await reauth.verifyPasswordAgain(user.id, junk, "auth.password_change")).ok, false);
    }
    assert.deepEqual(await reauth.verifyPasswordAgain(user.id, PASSWORD, "auth.password_change"), { ok: true });
    const next = await reauth.verifyPasswordAgain(user.id, "another wrong long guess", "auth.password_change");
    assert.deepEqual(next, { ok: false, message: "That password isn't right." }, "counting started again");
  });

  it("of 20 racing re-entries from one session, the right password last, at most 5 are evaluated and the right one doesn't get in (PSD2 RTS Art. 4(3)(b))", async () => {
    const user = await users.createUser(
      users.signUpSchema.parse({ name: "Gil", email: `gil-${randomUUID()}@example.com`, password: PASSWORD }),
    );
    const guesses = Array.from({ length: 20 }, (_, i) => (i === 19 ? PASSWORD : `wrong guess ${i} that is long`));
    const results = await Promise.all(
      guesses.map((guess) => reauth.verifyPasswordAgain(user.id, guess, "auth.reauth")),
    );
    const evaluated = await db.auditEvent.count({
      where: { userId: user.id, action: "auth.reauth", outcome: "FAILURE" },
    });
    const refused = await db.auditEvent.count({ where: { userId: user.id, action: "auth.reauth", outcome: "DENIED" } });
    console.log(
      `  password re-entries evaluated: ${evaluated} of 20, refused unevaluated: ${refused}; the right password (last): ${results[19].ok ? "accepted" : "refused"} (${TEST_PROVIDER})`,
    );
    assert.ok(evaluated <= 5, `${evaluated} evaluated`);
    if (evaluated === 5) {
      assert.equal(results[19].ok, false, "the budget went to the wrong guesses: the right one waits out the block");
      assert.equal((await reauth.verifyPasswordAgain(user.id, PASSWORD, "auth.reauth")).ok, false);
    }
  });
});

import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { createTestDatabase, TEST_PROVIDER, type TestDatabase } from "@/lib/testing/test-db";

/**
 * Password sign-in under its limits (lib/auth/sign-in-limits.ts), with real argon2id, on the real
 * database: attempts fired together can't get more than 5 evaluated per account (PSD2 RTS Art. 4(3)(b)).
 */
let testDb: TestDatabase;
let db: typeof import("@/lib/db").db;
let users: typeof import("@/lib/auth/users");
let limits: typeof import("@/lib/auth/sign-in-limits");

const PASSWORD = "the right long passphrase";

before(async () => {
  testDb = await createTestDatabase();
  db = (await import("@/lib/db")).db;
  users = await import("@/lib/auth/users");
  limits = await import("@/lib/auth/sign-in-limits");
});
after(async () => {
  await db?.$disconnect();
  await testDb?.drop();
});

/** One sign-in as Auth.js' authorize() runs it: the user, null, or the limiter's error (by its code). */
const signIn = (email: string, password: string, ip: string | null = null) =>
  users.authenticateWithPassword({ email, password }, ip).then(
    (user) => (user ? "signed in" : "failed"),
    (err: unknown) => {
      if (err instanceof limits.SignInPaused) return "paused";
      if (err instanceof limits.SignInFailedWithWarning) return "warned";
      throw err;
    },
  );

describe(`password sign-in limits under concurrency (${TEST_PROVIDER})`, () => {
  for (const known of [true, false]) {
    it(`20 racing sign-ins for one ${known ? "customer's" : "unknown"} email, the right password last: at most 5 evaluated, and once locked the right one is refused`, async () => {
      const email = `${known ? "cus" : "nobody"}-${randomUUID()}@example.com`;
      const user = known
        ? await users.createUser(users.signUpSchema.parse({ name: "Cus", email, password: PASSWORD }))
        : null;
      const guesses = Array.from({ length: 20 }, (_, i) => (i === 19 ? PASSWORD : `wrong guess ${i} that is long`));
      const results = await Promise.all(guesses.map((guess) => signIn(email, guess)));
      // Every evaluated attempt is one audit row (SUCCESS or FAILURE); a refused one is DENIED. An unknown
      // email's rows have no user: this is the only test in this file that writes such rows before the last.
      const rows = await db.auditEvent.groupBy({
        by: ["outcome"],
        where: { action: "auth.sign_in", userId: user?.id ?? null, createdAt: { gte: new Date(Date.now() - 60_000) } },
        _count: true,
      });
      const count = (outcome: string) => rows.find((r) => r.outcome === outcome)?._count ?? 0;
      const evaluated = count("SUCCESS") + count("FAILURE");
      console.log(
        `  sign-ins evaluated: ${evaluated} of 20 (${count("DENIED")} refused unevaluated); the right password (last): ${results[19]} (${TEST_PROVIDER}, ${known ? "known" : "unknown"} email)`,
      );
      assert.ok(evaluated <= 5, `${evaluated} evaluated: ${results.join(", ")}`);
      assert.equal(results.filter((r) => r === "signed in").length, results[19] === "signed in" ? 1 : 0);
      if (count("FAILURE") === 5) {
        assert.notEqual(results[19], "signed in");
        assert.equal(await signIn(email, PASSWORD), "paused", "locked: even the right password waits");
      }
    });
  }

  it("a paused address refuses before any password is checked, and gives the account its point back", async () => {
    const email = `ip-${randomUUID()}@example.com`;
    await users.createUser(users.signUpSchema.parse({ name: "Ip", email, password: PASSWORD }));
    const ip = `198.51.100.${Math.floor(Math.random() * 200)}`;
    await db.rateLimiterFlexible.create({
      data: {
        key: `signin-ip:${ip}`,
        points: limits.SIGN_IN_IP_RULE.maxFailures,
        expire: new Date(Date.now() + 60_000),
      },
    });
    assert.equal(await signIn(email, PASSWORD, ip), "paused");
    assert.equal((await limits.accountSignInLockout.get(email)).failures, 0, "the account's point was given back");
    assert.equal(await signIn(email, PASSWORD, "203.0.113.9"), "signed in");
  });
});

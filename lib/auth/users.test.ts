import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createTestDatabase, TEST_PROVIDER, type TestDatabase } from "@/lib/testing/test-db";

let testDb: TestDatabase;
let lib: {
  db: typeof import("@/lib/db").db;
  users: typeof import("@/lib/auth/users");
  DomainError: typeof import("@/lib/errors").DomainError;
};

before(async () => {
  testDb = await createTestDatabase(); // must precede the lib imports: lib/db.ts reads DATABASE_URL once
  lib = {
    db: (await import("@/lib/db")).db,
    users: await import("@/lib/auth/users"),
    DomainError: (await import("@/lib/errors")).DomainError,
  };
});
after(async () => {
  await lib?.db.$disconnect();
  await testDb?.drop();
});

const PASSWORD = "a sufficiently long passphrase";

describe(`sign-up and password sign-in (${TEST_PROVIDER})`, () => {
  it("creates the user with a normalised email, an argon2id hash and funded default accounts", async () => {
    const input = lib.users.signUpSchema.parse({ name: " Carol ", email: "  Carol@Example.COM ", password: PASSWORD });
    const user = await lib.users.createUser(input);
    assert.equal(user.email, "carol@example.com");
    const row = await lib.db.user.findUniqueOrThrow({ where: { id: user.id } });
    assert.equal(row.name, "Carol");
    assert.match(row.passwordHash, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    assert.ok(!row.passwordHash.includes(PASSWORD));

    const accounts = await lib.db.account.findMany({ where: { userId: user.id }, orderBy: { createdAt: "asc" } });
    assert.deepEqual(
      accounts.map((a) => [a.type, a.balance]),
      [
        ["CHECKING", 250_000n],
        ["SAVINGS", 1_000_000n],
      ],
    );
    // Opening balances are real double-entry postings: entries match balances, and the books sum to 0.
    for (const account of accounts) {
      const entries = await lib.db.ledgerEntry.aggregate({ where: { accountId: account.id }, _sum: { amount: true } });
      assert.equal(entries._sum.amount, account.balance);
    }
    const all = await lib.db.account.aggregate({ _sum: { balance: true } });
    assert.equal(all._sum.balance, 0n);
    assert.equal(await lib.db.auditEvent.count({ where: { userId: user.id, action: "auth.sign_up" } }), 1);
  });

  it("refuses a second account for the same email, in any case, and creates nothing", async () => {
    const before = { users: await lib.db.user.count(), accounts: await lib.db.account.count() };
    const input = lib.users.signUpSchema.parse({ name: "Carol 2", email: "CAROL@example.com", password: PASSWORD });
    await assert.rejects(
      lib.users.createUser(input),
      (err: unknown) => err instanceof lib.DomainError && err.code === "email_taken",
    );
    assert.deepEqual({ users: await lib.db.user.count(), accounts: await lib.db.account.count() }, before);
  });

  it("rejects malformed sign-up input with a message per field", () => {
    const cases: [unknown, string][] = [
      [{ name: "A", email: "not-an-email", password: PASSWORD }, "email"],
      [{ name: "A", email: "a@example.com", password: "short" }, "password"],
      [{ name: "A", email: "a@example.com", password: "x".repeat(257) }, "password"],
      [{ name: "x".repeat(10_000), email: "a@example.com", password: PASSWORD }, "name"],
      [{ name: "A", email: `${"x".repeat(10_000)}@example.com`, password: PASSWORD }, "email"],
      [{ email: "a@example.com", password: PASSWORD }, "name"],
      [{ name: "A", password: PASSWORD }, "email"],
      [{ name: "A", email: "a@example.com" }, "password"],
      [{ name: "   ", email: "a@example.com", password: PASSWORD }, "name"],
      [{ name: 42, email: ["a@example.com"], password: PASSWORD }, "name"],
    ];
    for (const [input, field] of cases) {
      const parsed = lib.users.signUpSchema.safeParse(input);
      assert.equal(parsed.success, false, JSON.stringify(input).slice(0, 80));
      const issue = parsed.error!.issues.find((i) => i.path[0] === field);
      assert.ok(issue, `expected an error on ${field}`);
      assert.ok(!/expected|received/i.test(issue.message), `human message for ${field}: ${issue.message}`);
    }
  });

  it("counts the password in characters, not bytes", () => {
    assert.equal(
      lib.users.signUpSchema.safeParse({
        name: "A",
        email: "a@example.com",
        password: [..."🔐🦊🌍🎲🚲🌵🎈🧭🪁🛶🍋🎻🧩🪴"].join(""),
      }).success,
      false,
    );
    assert.equal(
      lib.users.signUpSchema.safeParse({
        name: "A",
        email: "a@example.com",
        password: "🔐🦊🌍🎲🚲🌵🎈🧭🪁🛶🍋🎻🧩🪴🦉",
      }).success,
      true,
    );
  });

  it("signs in with the right password, in any email case, and audits each attempt", async () => {
    const user = await lib.users.authenticateWithPassword({ email: " CAROL@example.com", password: PASSWORD });
    assert.equal(user?.email, "carol@example.com");
    assert.equal(
      await lib.users.authenticateWithPassword({ email: "carol@example.com", password: PASSWORD + "!" }),
      null,
    );
    assert.equal(await lib.users.authenticateWithPassword({ email: "nobody@example.com", password: PASSWORD }), null);
    assert.equal(await lib.users.authenticateWithPassword({ email: 42, password: [] }), null);
    const reasons = (
      await lib.db.auditEvent.findMany({ where: { action: "auth.sign_in" }, orderBy: { createdAt: "asc" } })
    ).map((e) => `${e.outcome}:${e.reason ?? ""}`);
    assert.deepEqual(reasons, ["SUCCESS:", "FAILURE:wrong_password", "FAILURE:unknown_email"]);
  });

  it("pauses an email after 5 failures (even with the right password), and an IP after 100 across many emails", async () => {
    const { SignInPaused, SignInFailedWithWarning } = await import("@/lib/auth/sign-in-limits");
    const dana = await lib.users.createUser(
      lib.users.signUpSchema.parse({ name: "Dana", email: "dana@example.com", password: PASSWORD }),
    );
    const outcomes: string[] = [];
    for (let i = 0; i < 6; i++) {
      const password = i < 5 ? `wrong password number ${i}` : PASSWORD;
      outcomes.push(
        await lib.users.authenticateWithPassword({ email: dana.email, password }).then(
          (u) => (u ? "user" : "null"),
          (e: unknown) =>
            e instanceof SignInPaused
              ? "paused"
              : e instanceof SignInFailedWithWarning
                ? `left ${e.attemptsLeft}`
                : String(e),
        ),
      );
    }
    assert.deepEqual(outcomes, ["null", "null", "left 2", "left 1", "paused", "paused"]);

    // Credential stuffing: one address, many emails, two guesses each.
    const ip = "203.0.113.9";
    let paused = 0;
    for (let i = 0; i < 50; i++) {
      for (const guess of ["guess one is long", "guess two is long"]) {
        await lib.users
          .authenticateWithPassword({ email: `victim${i}@example.com`, password: guess }, ip)
          .catch(() => undefined);
      }
    }
    await lib.users
      .authenticateWithPassword({ email: "carol@example.com", password: PASSWORD }, ip)
      .catch((e: unknown) => {
        if (e instanceof SignInPaused) paused++;
      });
    assert.equal(paused, 1, "the 101st attempt from that address is refused, even a right one");
    assert.ok(
      await lib.users.authenticateWithPassword({ email: "carol@example.com", password: PASSWORD }, "198.51.100.7"),
      "other addresses are unaffected",
    );
  });
});

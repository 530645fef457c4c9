import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { addPasskey } from "@/lib/testing/fixtures";
import { createTestDatabase, TEST_PROVIDER, type TestDatabase } from "@/lib/testing/test-db";

let testDb: TestDatabase;
let db: typeof import("@/lib/db").db;
let codes: typeof import("@/lib/auth/recovery-codes");
let recovery: typeof import("@/lib/auth/recovery-sign-in");
let guard: typeof import("@/lib/assurance/guard");
let users: typeof import("@/lib/auth/users");
let limits: typeof import("@/lib/auth/sign-in-limits");
let errors: typeof import("@/lib/errors");
let hold: typeof import("@/lib/assurance/recovery-hold");

before(async () => {
  testDb = await createTestDatabase(); // must precede the lib imports: lib/db.ts reads DATABASE_URL once
  db = (await import("@/lib/db")).db;
  codes = await import("@/lib/auth/recovery-codes");
  recovery = await import("@/lib/auth/recovery-sign-in");
  guard = await import("@/lib/assurance/guard");
  users = await import("@/lib/auth/users");
  limits = await import("@/lib/auth/sign-in-limits");
  errors = await import("@/lib/errors");
  hold = await import("@/lib/assurance/recovery-hold");
});
after(async () => {
  await db?.$disconnect();
  await testDb?.drop();
});

const PASSWORD = "a long recovery test passphrase";

/** A customer with a (lost) passkey and a fresh set of recovery codes; returns the codes as shown. */
async function customerWithCodes() {
  const email = `rec-${randomUUID()}@example.com`;
  const user = await users.createUser(users.signUpSchema.parse({ name: "Rec", email, password: PASSWORD }));
  await addPasskey(db, user.id, "Lost phone");
  const fresh = await codes.makeRecoveryCodes();
  await db.$transaction((tx) => fresh.store(tx, user.id, "regenerated"));
  return { user, email, shown: fresh.codes };
}

describe("recovery codes: format and storage", () => {
  it("are ten distinct XXXX-XXXX-XXXX codes, stored only as argon2id hashes", async () => {
    const { user, shown } = await customerWithCodes();
    assert.equal(shown.length, codes.RECOVERY_CODE_COUNT);
    assert.equal(new Set(shown).size, shown.length);
    for (const code of shown) assert.match(code, /^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
    const rows = await db.recoveryCode.findMany({ where: { userId: user.id } });
    assert.equal(rows.length, shown.length);
    for (const row of rows) {
      assert.match(row.codeHash, /^\$argon2id\$/);
      for (const code of shown) assert.ok(!row.codeHash.includes(code.replaceAll("-", "")));
    }
  });
  it("read what people type: case, spaces, hyphens, and O/I/L for 0/1; anything else is not a code", () => {
    assert.equal(codes.normaliseRecoveryCode(" abcd efgh-jk0o "), "ABCDEFGHJK00");
    assert.equal(codes.normaliseRecoveryCode("1il1-2345-6789"), "111123456789");
    for (const bad of ["", "ABCD-EFGH-JKM", "ABCD-EFGH-JKMNP", "ABCD-EFGH-JKMU", 42, null, "x".repeat(65)]) {
      assert.equal(codes.normaliseRecoveryCode(bad), null, String(bad));
    }
  });
});

describe(`recovery sign-in (${TEST_PROVIDER})`, () => {
  it("password + unused code: recovery claims, the code used once, a 24 h hold, all audited", async () => {
    const { user, email, shown } = await customerWithCodes();
    const signedIn = await recovery.authenticateWithRecoveryCode({
      email: email.toUpperCase(),
      password: PASSWORD,
      code: shown[3].toLowerCase(),
    });
    assert.ok(signedIn);
    assert.equal(signedIn.id, user.id);
    assert.deepEqual(signedIn.claims.amr, ["pwd", "otp"]);
    assert.equal(signedIn.claims.acr, "urn:vault:acr:aal1");
    assert.equal(typeof signedIn.claims.recovery_time, "number");

    assert.equal(await db.recoveryCode.count({ where: { userId: user.id, usedAt: { not: null } } }), 1);
    const hold = (await db.user.findUniqueOrThrow({ where: { id: user.id } })).recoveryHoldUntil;
    assert.ok(hold);
    const hours = (hold.getTime() - Date.now()) / 3_600_000;
    assert.ok(hours > 23.9 && hours <= 24, `hold ends in ${hours} h`);
    const audited = await db.auditEvent.findMany({
      where: { userId: user.id, action: { in: ["recovery.code_used", "recovery.hold_started", "auth.sign_in"] } },
    });
    assert.deepEqual(audited.map((a) => a.action).sort(), [
      "auth.sign_in",
      "recovery.code_used",
      "recovery.hold_started",
    ]);

    // The same code never works twice; another unused one does.
    assert.equal(await recovery.authenticateWithRecoveryCode({ email, password: PASSWORD, code: shown[3] }), null);
    assert.ok(await recovery.authenticateWithRecoveryCode({ email, password: PASSWORD, code: shown[4] }));
  });

  it("a wrong password, an unknown email or a made-up code signs nobody in and uses no code", async () => {
    const { user, email, shown } = await customerWithCodes();
    assert.equal(
      await recovery.authenticateWithRecoveryCode({ email, password: PASSWORD + "!", code: shown[0] }),
      null,
    );
    assert.equal(
      await recovery.authenticateWithRecoveryCode({ email, password: PASSWORD, code: "AAAA-BBBB-CCCC" }),
      null,
    );
    assert.equal(
      await recovery.authenticateWithRecoveryCode({
        email: `nobody-${randomUUID()}@example.com`,
        password: PASSWORD,
        code: shown[0],
      }),
      null,
    );
    assert.equal(await recovery.authenticateWithRecoveryCode({ email: 1, password: {}, code: [] }), null);
    assert.equal(await db.recoveryCode.count({ where: { userId: user.id, usedAt: { not: null } } }), 0);
    assert.equal((await db.user.findUniqueOrThrow({ where: { id: user.id } })).recoveryHoldUntil, null);
  });

  it("two sign-ins racing with the same code: exactly one gets in", async () => {
    const { email, shown } = await customerWithCodes();
    const results = await Promise.all(
      [0, 1].map(() => recovery.authenticateWithRecoveryCode({ email, password: PASSWORD, code: shown[7] })),
    );
    assert.equal(results.filter(Boolean).length, 1);
  });

  it("warns, then pauses after 5 failures; a paused password sign-in doesn't pause recovery", async () => {
    const { email, shown } = await customerWithCodes();
    for (let i = 0; i < 5; i++)
      await users.authenticateWithPassword({ email, password: "wrong guess " + i }).catch(() => undefined);
    await assert.rejects(users.authenticateWithPassword({ email, password: PASSWORD }), limits.SignInPaused);
    const outcomes: string[] = [];
    for (let i = 0; i < 5; i++) {
      outcomes.push(
        await recovery.authenticateWithRecoveryCode({ email, password: PASSWORD, code: "AAAA-BBBB-CCCC" }).then(
          (u) => (u ? "in" : "null"),
          (e: unknown) =>
            e instanceof limits.SignInPaused
              ? "paused"
              : e instanceof limits.SignInFailedWithWarning
                ? `warn:${e.attemptsLeft}`
                : "other",
        ),
      );
    }
    assert.deepEqual(outcomes, ["null", "null", "warn:2", "warn:1", "paused"]);
    await assert.rejects(
      recovery.authenticateWithRecoveryCode({ email, password: PASSWORD, code: shown[0] }),
      limits.SignInPaused,
    );
  });
});

describe(`the cooling-off period in the guard (${TEST_PROVIDER})`, () => {
  it("refuses a held action with a clear message, audited, and stores no intent", async () => {
    const { user, email, shown } = await customerWithCodes();
    const signedIn = await recovery.authenticateWithRecoveryCode({ email, password: PASSWORD, code: shown[0] });
    assert.ok(signedIn);
    const actor = { id: user.id, sid: "sid-recovered", claims: signedIn.claims };
    await assert.rejects(
      guard.guard(actor, "payee.add", { payload: { name: "Mallory" } }),
      (err: unknown) =>
        err instanceof errors.DomainError &&
        err.code === "recovery_hold" &&
        /on hold until .+ UTC/.test(err.userMessage),
    );
    assert.equal(await db.stepUpIntent.count({ where: { userId: user.id } }), 0);
    const denied = await db.auditEvent.findFirst({
      where: { userId: user.id, action: "assurance.decision", reason: "recovery_cooling_off" },
    });
    assert.ok(denied);
    // Enrolling the replacement passkey is what the recovery session is for.
    assert.equal((await guard.guard(actor, "passkey.add", { payload: {} })).reason, "recent_recovery_code");
  });

  it("lets a passkey from before the cooling-off confirm removals and password changes, not one enrolled since", async () => {
    const { user, email, shown } = await customerWithCodes();
    const old = await db.passkey.findFirstOrThrow({ where: { userId: user.id } });
    const byOld = { kind: "passkey", passkeyId: old.id } as const;
    assert.equal(
      await hold.mayConfirmDuringHold(user.id, byOld, await hold.recoveryHoldOf(user.id)),
      true,
      "no hold yet",
    );
    assert.ok(await recovery.authenticateWithRecoveryCode({ email, password: PASSWORD, code: shown[0] }));
    const during = await hold.recoveryHoldOf(user.id);
    assert.ok(during && during.until.getTime() > Date.now());
    assert.equal(
      await hold.mayConfirmDuringHold(user.id, byOld, during),
      true,
      "enrolled before the hold: may confirm",
    );
    const added = await db.passkey.create({
      data: {
        id: `cred-${randomUUID()}`,
        userId: user.id,
        publicKey: new Uint8Array([2]),
        deviceType: "singleDevice",
        nickname: "New",
        createdAt: new Date(during.startedAt.getTime() + 1),
      },
    });
    assert.equal(
      await hold.mayConfirmDuringHold(user.id, { kind: "passkey", passkeyId: added.id }, during),
      false,
      "enrolled during the hold: not until it ends",
    );
    assert.equal(
      await hold.mayConfirmDuringHold(user.id, { kind: "passkey", passkeyId: "unknown" }, during),
      false,
      "an unknown passkey: never",
    );
    assert.equal(await hold.mayConfirmDuringHold(user.id, null, during), false, "no recorded confirmer: never");
  });
});

import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { describe, it } from "node:test";
import { addPasskey, signedUpCustomerWithPasskey } from "@/lib/testing/fixtures";
import { TEST_PROVIDER, withTestDb } from "@/lib/testing/test-db";

/**
 * "This wasn't me" on the real database (docs/notifications.md): every notice writes its in-app row,
 * its email and its own freeze link with the event; a link freezes once (also under 20 racing uses),
 * and a forged, used or expired one changes nothing; a frozen account refuses what the freeze refuses
 * when the operation runs, on every path, and is taken back only with the password and a passkey from
 * before the freeze, after a cooling-off.
 */
let freeze: typeof import("@/lib/auth/freeze");
let messages: typeof import("@/lib/notify/messages");
let links: typeof import("@/lib/notify/links");
let perform: typeof import("@/lib/assurance/pipeline").perform;
let payees: typeof import("@/lib/banking/payees");
let transfers: typeof import("@/lib/banking/transfers");
let guardModule: typeof import("@/lib/assurance/guard");
let intents: typeof import("@/lib/assurance/intents");
let recoveryCodes: typeof import("@/lib/auth/recovery-codes");
let recovery: typeof import("@/lib/auth/recovery-sign-in");

const testDb = withTestDb(async () => {
  freeze = await import("@/lib/auth/freeze");
  messages = await import("@/lib/notify/messages");
  links = await import("@/lib/notify/links");
  perform = (await import("@/lib/assurance/pipeline")).perform;
  payees = await import("@/lib/banking/payees");
  transfers = await import("@/lib/banking/transfers");
  guardModule = await import("@/lib/assurance/guard");
  intents = await import("@/lib/assurance/intents");
  recoveryCodes = await import("@/lib/auth/recovery-codes");
  recovery = await import("@/lib/auth/recovery-sign-in");
});

const now = () => Math.floor(Date.now() / 1000);
const actorOf = (userId: string, sid = `sid-${randomUUID()}`) => ({
  id: userId,
  sid,
  claims: { amr: ["pwd"], acr: "urn:vault:acr:aal1" as const, auth_time: now() },
});
/** A passkey-raised actor, as after a step-up a moment ago. */
const raised = (userId: string) => ({
  ...actorOf(userId),
  claims: { amr: ["pwd", "hwk", "user"], acr: "urn:vault:acr:phr" as const, auth_time: now(), phr_time: now() },
});

/** Sends a notice in its own transaction and returns the freeze link's token, from the text as the worker sends it. */
async function linkFor(userId: string): Promise<string> {
  await testDb.db.$transaction((tx) => messages.notify(tx, userId, "passkey.added", { name: "Test key" }));
  const row = await testDb.db.outboxMessage.findFirstOrThrow({ where: { userId }, orderBy: { createdAt: "desc" } });
  const token = /\/freeze\/([A-Za-z0-9_-]{43})/.exec(links.withFreezeLink(row.text, row.freezeLinkId))?.[1];
  assert.ok(token, "the message carries a freeze link");
  return token;
}

async function pendingPayeeIntent(userId: string, actor = actorOf(userId)) {
  const input = { name: "Mallory Ltd", scheme: "iban", iban: "GB82 WEST 1234 5698 7654 32" };
  const err = await perform(payees.payeeAdd, actor, input).catch((e: unknown) => e);
  assert.ok(err instanceof guardModule.StepUpRequired);
  return { actor, input, intentId: err.intentId };
}

describe(`notices and freezing (${TEST_PROVIDER})`, () => {
  it("a notice writes its in-app row, its email and its own freeze link with the event, and none of them if it rolls back", async () => {
    const c = await signedUpCustomerWithPasskey(testDb.db, "Nina Notice");
    await assert.rejects(
      testDb.db.$transaction(async (tx) => {
        await messages.notify(tx, c.userId, "password.changed", {});
        throw new Error("the event failed");
      }),
    );
    const db = testDb.db;
    const counts = async () => [
      await db.securityNotice.count({ where: { userId: c.userId } }),
      await db.outboxMessage.count({ where: { userId: c.userId } }),
      await db.freezeLink.count({ where: { userId: c.userId } }),
    ];
    assert.deepEqual(await counts(), [0, 0, 0]);
    await db.$transaction((tx) => messages.notify(tx, c.userId, "password.changed", {}));
    assert.deepEqual(await counts(), [1, 1, 1]);
    const mail = await db.outboxMessage.findFirstOrThrow({ where: { userId: c.userId } });
    assert.match(mail.text, /Your password was changed/);
    // As sent: the link filled in, in both parts.
    const text = links.withFreezeLink(mail.text, mail.freezeLinkId);
    const html = links.withFreezeLink(mail.html, mail.freezeLinkId);
    assert.match(text, /http:\/\/localhost:\d+\/freeze\/[A-Za-z0-9_-]{43}\n/);
    assert.match(html, /<a href="http:\/\/localhost:\d+\/freeze\/[A-Za-z0-9_-]{43}">This wasn&#39;t me/);
    // As stored: no usable link anywhere in the database, only a placeholder, the link's id and a keyed hash.
    const token = /\/freeze\/([A-Za-z0-9_-]{43})/.exec(text)![1];
    const link = await db.freezeLink.findFirstOrThrow({ where: { userId: c.userId } });
    assert.equal(mail.freezeLinkId, link.id);
    assert.match(mail.text, /\{\{freeze-link\}\}/);
    for (const stored of [JSON.stringify(mail), JSON.stringify(link)]) assert.ok(!stored.includes(token));
    assert.equal((await freeze.inspectFreezeLink(token)).state, "valid");
  });

  it("a switched-off kind still shows in the security centre, with no email; one that can't be switched off always emails", async () => {
    const c = await signedUpCustomerWithPasskey(testDb.db, "Otto Optout");
    const db = testDb.db;
    await db.noticeOptOut.createMany({
      data: [
        { userId: c.userId, kind: "payee.added" },
        // Not allowed to be off; a stray row must not silence it.
        { userId: c.userId, kind: "password.changed" },
      ],
    });
    await db.$transaction((tx) => messages.notify(tx, c.userId, "payee.added", { name: "A", account: "IBAN ••• 1" }));
    await db.$transaction((tx) => messages.notify(tx, c.userId, "password.changed", {}));
    assert.equal(await db.securityNotice.count({ where: { userId: c.userId } }), 2);
    const mail = await db.outboxMessage.findMany({ where: { userId: c.userId }, select: { kind: true } });
    assert.deepEqual(
      mail.map((m) => m.kind),
      ["password.changed"],
    );
    assert.deepEqual(messages.SWITCHABLE_NOTICES.includes("password.changed" as never), false);
    for (const kind of ["recovery.sign_in", "password.changed", "passkey.added", "payout.changed"] as const)
      assert.equal(messages.NOTICES[kind].always, true, kind);
  });

  it("a link freezes the account once: sessions, API tokens and pending confirmations end, audited and told", async () => {
    const c = await signedUpCustomerWithPasskey(testDb.db, "Fay Freeze");
    const db = testDb.db;
    const sid = randomUUID();
    await db.session.create({
      data: { id: sid, userId: c.userId, method: "password", expiresAt: new Date(Date.now() + 3_600_000) },
    });
    await db.apiClient.create({
      data: {
        id: `vlt_client_${randomUUID()}`,
        userId: c.userId,
        name: "Script",
        scopes: "accounts:read",
        secretHash: randomUUID(),
        acr: "urn:vault:acr:phr",
        authTime: new Date(),
        expiresAt: new Date(Date.now() + 86_400_000),
      },
    });
    const { intentId } = await pendingPayeeIntent(c.userId);
    const token = await linkFor(c.userId);

    const opened = await freeze.inspectFreezeLink(token);
    assert.equal(opened.state, "valid");
    assert.equal(await freeze.accountFreezeOf(c.userId), null, "opening the link changes nothing");

    const done = await freeze.freezeWithLink(token);
    assert.deepEqual(done, { ok: true, sessions: 1, tokens: 1, intents: 1 });
    assert.ok(await freeze.accountFreezeOf(c.userId));
    assert.equal((await db.session.findUniqueOrThrow({ where: { id: sid } })).revokedReason, "account_frozen");
    assert.equal(await db.apiClient.count({ where: { userId: c.userId, revokedAt: null } }), 0);
    const intent = await db.stepUpIntent.findUniqueOrThrow({ where: { id: intentId } });
    assert.deepEqual([intent.status, intent.cancelReason], ["CANCELLED", "account_frozen"]);
    assert.equal(await db.auditEvent.count({ where: { userId: c.userId, action: "account.frozen" } }), 1);
    assert.equal(await db.outboxMessage.count({ where: { userId: c.userId, kind: "account.frozen" } }), 1);

    // Used again: nothing more happens, and the refusal is in the customer's log.
    const again = await freeze.freezeWithLink(token);
    assert.deepEqual(again, { ok: false, state: "used" });
    assert.equal(await db.auditEvent.count({ where: { userId: c.userId, action: "account.frozen" } }), 1);
    assert.equal(await db.auditEvent.count({ where: { userId: c.userId, action: "account.freeze_link_refused" } }), 1);
  });

  it("a forged, malformed or expired link changes nothing", async () => {
    const c = await signedUpCustomerWithPasskey(testDb.db, "Gus Forged");
    const db = testDb.db;
    const token = await linkFor(c.userId);
    const forged = `${token.slice(0, -1)}${token.endsWith("A") ? "B" : "A"}`;
    for (const bad of [forged, "", "x".repeat(43), `${token}=`, null, 42, { token }, "../../etc/passwd"]) {
      assert.deepEqual(await freeze.freezeWithLink(bad), { ok: false, state: "invalid" }, String(bad));
      assert.equal((await freeze.inspectFreezeLink(bad)).state, "invalid");
    }
    await db.freezeLink.updateMany({ where: { userId: c.userId }, data: { expiresAt: new Date(Date.now() - 1000) } });
    assert.deepEqual(await freeze.freezeWithLink(token), { ok: false, state: "expired" });
    assert.equal(await freeze.accountFreezeOf(c.userId), null);
    assert.equal(await db.auditEvent.count({ where: { userId: c.userId, action: "account.frozen" } }), 0);
  });

  it("20 concurrent uses of one link: one freezes, 19 find it used", async () => {
    const c = await signedUpCustomerWithPasskey(testDb.db, "Rita Race");
    const token = await linkFor(c.userId);
    const results = await Promise.all(Array.from({ length: 20 }, () => freeze.freezeWithLink(token)));
    assert.equal(results.filter((r) => r.ok).length, 1);
    assert.equal(results.filter((r) => !r.ok && r.state === "used").length, 19);
    assert.equal(await testDb.db.auditEvent.count({ where: { userId: c.userId, action: "account.frozen" } }), 1);
  });

  it("frozen: payments (even an exempt-sized one), payees, API tokens and new passkeys are refused; own transfers and reading work", async () => {
    const c = await signedUpCustomerWithPasskey(testDb.db, "Hal Held");
    const db = testDb.db;
    // A confirmation authorised before the freeze, as if the thief had it ready.
    const ready = await pendingPayeeIntent(c.userId);
    const { payload: canonical } = await db.stepUpIntent.findUniqueOrThrow({ where: { id: ready.intentId } });
    assert.equal(
      await intents.authoriseIntent(ready.actor, ready.intentId, canonical, `passkey:${c.key.credentialId}`),
      true,
    );
    await freeze.freezeWithLink(await linkFor(c.userId));

    const frozen = (err: unknown) => err instanceof Error && (err as { code?: string }).code === "account_frozen";
    // Resuming the authorised intent: cancelled by the freeze, and refused even if it weren't.
    await db.stepUpIntent.update({ where: { id: ready.intentId }, data: { status: "AUTHORISED", cancelReason: null } });
    await assert.rejects(perform(payees.payeeAdd, ready.actor, ready.input, { intentId: ready.intentId }), frozen);
    await assert.rejects(perform(payees.payeeAdd, raised(c.userId), ready.input), frozen);

    const payee = await db.payee.create({
      data: {
        userId: c.userId,
        name: "Old Friend",
        iban: "DE89370400440532013000",
        currency: "USD",
        firstPaidAt: new Date(0),
      },
    });
    const small = {
      fromAccountId: c.accountIds[0],
      to: `payee:${payee.id}`,
      amount: "5.00",
      memo: "",
      idempotencyKey: randomUUID(),
    };
    await assert.rejects(perform(transfers.transfer, raised(c.userId), small), frozen);
    const own = { ...small, to: `account:${c.accountIds[1]}`, idempotencyKey: randomUUID() };
    await perform(transfers.transfer, actorOf(c.userId), own);
    const apiClients = await import("@/lib/api/clients");
    await assert.rejects(
      perform(apiClients.apiClientCreate, raised(c.userId), { name: "x", scopes: ["accounts:read"], days: "7" }),
      frozen,
    );
    await assert.rejects(freeze.refuseIfFrozen(db, c.userId), frozen);
    const refusals = await db.auditEvent.count({
      where: { userId: c.userId, action: "assurance.decision", outcome: "DENIED", reason: "account_frozen" },
    });
    assert.ok(refusals >= 4, `each refusal is audited (${refusals})`);
  });

  it("frozen: recovery-code sign-in is refused and the code isn't spent", async () => {
    const c = await signedUpCustomerWithPasskey(testDb.db, "Rex Recover");
    const fresh = await recoveryCodes.makeRecoveryCodes();
    await testDb.db.$transaction((tx) => fresh.store(tx, c.userId, "regenerated"));
    await freeze.freezeWithLink(await linkFor(c.userId));
    const signedIn = await recovery.authenticateWithRecoveryCode({
      email: c.email,
      password: "a long test passphrase",
      code: fresh.codes[0],
    });
    assert.equal(signedIn, null);
    assert.equal(await testDb.db.recoveryCode.count({ where: { userId: c.userId, usedAt: null } }), fresh.codes.length);
    const refused = await testDb.db.auditEvent.findFirst({
      where: { userId: c.userId, reason: "account_frozen" },
      select: { action: true },
    });
    assert.ok(refused, "the refusal is audited");
  });

  it("unfreezing: only a passkey from before the freeze confirms it, and the account works again after the cooling-off", async () => {
    const c = await signedUpCustomerWithPasskey(testDb.db, "Una Unfreeze");
    const db = testDb.db;
    // The original passkey predates the freeze by a minute; a thief's one is added after it.
    await db.passkey.updateMany({ where: { userId: c.userId }, data: { createdAt: new Date(Date.now() - 60_000) } });
    await freeze.freezeWithLink(await linkFor(c.userId));
    const thiefKey = await addPasskey(db, c.userId, "Thief's key");
    const since = (await freeze.accountFreezeOf(c.userId))!.since.toISOString();

    const ask = async () => {
      const actor = actorOf(c.userId);
      const err = await perform(freeze.accountUnfreeze, actor, { frozenSince: since }).catch((e: unknown) => e);
      assert.ok(err instanceof guardModule.StepUpRequired, String(err));
      assert.equal(err.reason, "account_frozen");
      assert.equal(err.requirement.bound, true);
      const row = await db.stepUpIntent.findUniqueOrThrow({ where: { id: err.intentId } });
      return { actor, intentId: err.intentId, canonical: row.payload };
    };
    // Confirmed with the passkey added after the freeze: refused when it runs.
    const byThief = await ask();
    await intents.authoriseIntent(
      byThief.actor,
      byThief.intentId,
      byThief.canonical,
      `passkey:${thiefKey.credentialId}`,
    );
    await assert.rejects(
      perform(freeze.accountUnfreeze, byThief.actor, { frozenSince: since }, { intentId: byThief.intentId }),
      /only a passkey you had before the freeze/,
    );
    assert.equal((await freeze.accountFreezeOf(c.userId))?.unfreezesAt, null);

    // With the customer's own passkey: confirmed, but still frozen through the cooling-off.
    const byCustomer = await ask();
    await intents.authoriseIntent(
      byCustomer.actor,
      byCustomer.intentId,
      byCustomer.canonical,
      `passkey:${c.key.credentialId}`,
    );
    await perform(freeze.accountUnfreeze, byCustomer.actor, { frozenSince: since }, { intentId: byCustomer.intentId });
    const during = await freeze.accountFreezeOf(c.userId);
    assert.ok(during?.unfreezesAt);
    const hours = (during.unfreezesAt.getTime() - Date.now()) / 3_600_000;
    assert.ok(hours > 23.9 && hours <= 24, `${hours} h`);
    assert.equal(await db.outboxMessage.count({ where: { userId: c.userId, kind: "account.unfreeze_confirmed" } }), 1);
    // After the cooling-off it is no longer frozen.
    assert.equal(
      freeze.freezeOf(
        { frozenAt: new Date(since), unfreezeAt: during.unfreezesAt },
        new Date(Date.now() + 25 * 3_600_000),
      ),
      null,
    );

    // A freeze link used during the cooling-off calls the unfreeze off (an old link can only freeze).
    const late = await linkFor(c.userId);
    assert.equal((await freeze.freezeWithLink(late)).ok, true);
    const after = await freeze.accountFreezeOf(c.userId, db, new Date(Date.now() + 25 * 3_600_000));
    assert.ok(after, "still frozen after the cooling-off would have ended");
    assert.equal(after.since.toISOString(), since, "the freeze keeps its start");
  });
});

/**
 * Session rotation and sign-out against a real database (issue 16, findings 5, 6 and 10i): the rules
 * lib/auth/session-records.ts, grants.ts and callbacks.ts apply when Auth.js signs out, or a grant is
 * consumed. The same paths over real HTTP are in e2e/sessions.spec.ts.
 */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { createTestDatabase, TEST_PROVIDER, type TestDatabase } from "@/lib/testing/test-db";

let testDb: TestDatabase;
let db: typeof import("@/lib/db").db;
let sessions: typeof import("@/lib/auth/session-records");
let grants: typeof import("@/lib/auth/grants");
let callbacks: typeof import("@/lib/auth/callbacks");
let tokens: typeof import("@/lib/api/tokens");
let ACR: typeof import("@/lib/auth/claims").ACR;

before(async () => {
  testDb = await createTestDatabase(); // before the lib imports: lib/db.ts reads DATABASE_URL once
  db = (await import("@/lib/db")).db;
  sessions = await import("@/lib/auth/session-records");
  grants = await import("@/lib/auth/grants");
  callbacks = await import("@/lib/auth/callbacks");
  tokens = await import("@/lib/api/tokens");
  ACR = (await import("@/lib/auth/claims")).ACR;
});
after(async () => {
  await db?.$disconnect();
  await testDb?.drop();
});

async function newSession(method: "password" | "passkey" = "password") {
  const user = await db.user.create({ data: { email: `r-${randomUUID()}@example.com`, name: "R", passwordHash: "x" } });
  const id = randomUUID();
  await sessions.startSession({ id, userId: user.id, method });
  return { userId: user.id, sid: id };
}

async function intent(userId: string, sessionId: string, status: string) {
  const id = `intent-${randomUUID()}`;
  await db.stepUpIntent.create({
    data: {
      id,
      userId,
      sessionId,
      action: "payee.add",
      payload: "{}",
      payloadHash: "h",
      status,
      expiresAt: new Date(Date.now() + 300_000),
    },
  });
  return id;
}

const sessionOf = (id: string) => db.session.findUniqueOrThrow({ where: { id } });
const auditCount = (userId: string, action: string) => db.auditEvent.count({ where: { userId, action } });

describe(`session rotation (${TEST_PROVIDER})`, () => {
  it("ends the old session with reason 'rotated' and starts a new one with the same sign-in and end", async () => {
    const s = await newSession("passkey");
    const before = await sessionOf(s.sid);
    const newSid = await sessions.rotateSession(s.sid, s.userId);
    assert.ok(newSid && newSid !== s.sid);
    const [old, fresh] = [await sessionOf(s.sid), await sessionOf(newSid)];
    assert.equal(old.revokedReason, "rotated");
    assert.ok(old.revokedAt);
    assert.equal(fresh.revokedAt, null);
    assert.equal(fresh.userId, s.userId);
    assert.equal(fresh.method, "passkey");
    assert.equal(fresh.expiresAt.getTime(), before.expiresAt.getTime(), "a rotation doesn't extend the session");
    assert.equal(
      fresh.createdAt.getTime(),
      before.createdAt.getTime(),
      "the session list still shows when the customer signed in",
    );
    assert.equal(await sessions.isSessionLive(s.sid, s.userId), false);
    assert.equal(await sessions.isSessionLive(newSid, s.userId), true);
  });

  it("moves the session's pending and authorised intents to the new id, and leaves finished ones", async () => {
    const s = await newSession();
    const pending = await intent(s.userId, s.sid, "PENDING");
    const authorised = await intent(s.userId, s.sid, "AUTHORISED");
    const consumed = await intent(s.userId, s.sid, "CONSUMED");
    const other = await newSession();
    const foreign = await intent(other.userId, other.sid, "PENDING");
    const newSid = await sessions.rotateSession(s.sid, s.userId);
    const sidOf = async (id: string) => (await db.stepUpIntent.findUniqueOrThrow({ where: { id } })).sessionId;
    assert.equal(await sidOf(pending), newSid);
    assert.equal(await sidOf(authorised), newSid);
    assert.equal(await sidOf(consumed), s.sid);
    assert.equal(await sidOf(foreign), other.sid);
  });

  it("refuses to rotate an ended session, or someone else's", async () => {
    const s = await newSession();
    const other = await newSession();
    assert.equal(await sessions.rotateSession(s.sid, other.userId), null);
    await sessions.revokeSession(s.sid, "signed_out");
    assert.equal(await sessions.rotateSession(s.sid, s.userId), null);
    assert.equal(await db.session.count({ where: { userId: s.userId } }), 1);
  });

  it("the jwt callback gives a new sid for every consumed grant: a raise, or a rotation only", async () => {
    const s = await newSession();
    const token = { uid: s.userId, sid: s.sid, amr: ["pwd"], acr: ACR.AAL1, auth_time: 1_000 };
    const deps = { openGrant: grants.openSessionGrant, rotateSession: sessions.rotateSession };

    const rotateOnly = grants.mintRotationGrant({ userId: s.userId, sessionId: s.sid });
    const rotated = await callbacks.jwtCallback({
      token: { ...token },
      trigger: "update",
      session: { grant: rotateOnly },
      ...deps,
    });
    assert.notEqual(rotated.sid, s.sid);
    assert.deepEqual({ ...rotated, sid: s.sid }, token, "a rotation changes nothing but the sid");

    const raise = grants.mintGrant({
      userId: s.userId,
      sessionId: rotated.sid!,
      amr: ["pop", "user", "mfa"],
      acr: ACR.PHR,
      authTime: 2_000,
    });
    const raised = await callbacks.jwtCallback({
      token: rotated,
      trigger: "update",
      session: { grant: raise },
      ...deps,
    });
    assert.notEqual(raised.sid, rotated.sid);
    assert.equal(raised.acr, ACR.PHR);
    assert.equal(raised.phr_time, 2_000);
    assert.equal(raised.auth_time, 1_000, "still the same sign-in");
    assert.equal(await sessions.isSessionLive(raised.sid!, s.userId), true);
    assert.equal(await sessions.isSessionLive(rotated.sid!, s.userId), false);

    // A grant replayed, with the new session's token or the old one's, changes nothing: it names the
    // session it rotated away (grants are single-use through that rotation, lib/auth/grants.ts).
    const again = await callbacks.jwtCallback({ token: raised, trigger: "update", session: { grant: raise }, ...deps });
    assert.deepEqual(again, raised);
    const old = await callbacks.jwtCallback({ token: rotated, trigger: "update", session: { grant: raise }, ...deps });
    assert.deepEqual(old, rotated);
    assert.equal(await db.session.count({ where: { userId: s.userId, revokedAt: null } }), 1);
    // A forged or tampered grant is nothing.
    const [payload, mac] = raise.split(".");
    const forged = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(payload, "base64url").toString()), s: raised.sid }),
    ).toString("base64url");
    assert.equal(await grants.openSessionGrant(`${forged}.${mac}`, s.userId, raised.sid!), null);
    // openGrant (what the raise path without a session cookie uses) never reads a rotation grant as claims.
    const another = grants.mintRotationGrant({ userId: s.userId, sessionId: raised.sid! });
    assert.equal(await grants.openGrant(another, s.userId, raised.sid!), null);
  });
});

describe(`sign-out ends the server-side session (${TEST_PROVIDER})`, () => {
  it("Auth.js' signOut event revokes the token's session and audits it once", async () => {
    const s = await newSession();
    assert.equal(await sessions.endSignedOutSession({ sid: s.sid, uid: s.userId }), true);
    assert.equal((await sessionOf(s.sid)).revokedReason, "signed_out");
    assert.equal(await sessions.isSessionLive(s.sid, s.userId), false);
    // A second sign-out with the same (copied) token, or a session already ended, writes nothing.
    assert.equal(await sessions.endSignedOutSession({ sid: s.sid, uid: s.userId }), false);
    assert.equal(await auditCount(s.userId, "auth.sign_out"), 1);
  });

  it("ignores a token without a session, or one naming another customer's session", async () => {
    const s = await newSession();
    for (const token of [null, {}, { sid: s.sid }, { sid: s.sid, uid: "someone-else" }, { sid: 42, uid: s.userId }]) {
      assert.equal(await sessions.endSignedOutSession(token), false);
    }
    assert.equal(await sessions.isSessionLive(s.sid, s.userId), true);
  });
});

describe(`API access tokens end with the sessions (${TEST_PROVIDER})`, () => {
  it("revokeAccessTokensOf ends every access token of the customer, and leaves their API clients and other customers' tokens", async () => {
    const mine = await newSession();
    const theirs = await newSession();
    const later = new Date(Date.now() + 3_600_000);
    for (const userId of [mine.userId, theirs.userId]) {
      const clientId = `client-${randomUUID()}`;
      await db.apiClient.create({
        data: {
          id: clientId,
          userId,
          name: "App",
          scopes: "accounts:read",
          secretHash: randomUUID(),
          acr: ACR.PHR,
          authTime: new Date(),
          expiresAt: later,
        },
      });
      for (let i = 0; i < 2; i++) {
        await db.apiAccessToken.create({
          data: {
            id: randomUUID(),
            tokenHash: randomUUID(),
            clientId,
            userId,
            scopes: "accounts:read",
            acr: ACR.PHR,
            authTime: new Date(),
            expiresAt: later,
          },
        });
      }
    }
    assert.equal(await tokens.revokeAccessTokensOf(db, mine.userId), 2);
    assert.equal(await db.apiAccessToken.count({ where: { userId: mine.userId } }), 0);
    assert.equal(await db.apiAccessToken.count({ where: { userId: theirs.userId } }), 2);
    assert.equal(await db.apiClient.count({ where: { userId: mine.userId, revokedAt: null } }), 1);
  });
});

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Session } from "next-auth";
import type { JWT } from "next-auth/jwt";
import { jwtCallback, sessionCallback, type OpenGrant, type RotateSession } from "@/lib/auth/callbacks";
import {
  ACR,
  acrSatisfies,
  applyGrant,
  passkeyAmr,
  passkeySignInClaims,
  passwordSignInClaims,
  type Grant,
} from "@/lib/auth/claims";

const NOW = new Date("2026-11-22T10:00:00Z");
const NOW_S = 1_795_341_600;

/** A grant store with the real rules (single use, bound to user and session), in memory for unit speed. */
function grantStore(grants: Record<string, { userId: string; sessionId: string; grant: Grant }>): OpenGrant {
  return async (raw, userId, sessionId) => {
    const entry = grants[raw];
    if (!entry || entry.userId !== userId || entry.sessionId !== sessionId) return null;
    return entry.grant;
  };
}
const noGrants = grantStore({});
/** Sessions as lib/auth/session-records.ts keeps them: each live sid can be rotated once. */
function sessionStore(): RotateSession {
  const ended = new Set<string>();
  return async (sid) => {
    if (ended.has(sid)) return null;
    ended.add(sid);
    return `${sid}'`;
  };
}

describe("session claims at sign-in", () => {
  it("a password gives amr [pwd], acr AAL1 and auth_time in epoch seconds", () => {
    assert.deepEqual(passwordSignInClaims(NOW), { amr: ["pwd"], acr: ACR.AAL1, auth_time: NOW_S });
  });

  it("the jwt callback sets the claims, the user id and a new session id on sign-in", async () => {
    const token = await jwtCallback({
      token: { sub: "u1" },
      user: { id: "u1" },
      trigger: "signIn",
      now: NOW,
      openGrant: noGrants,
      rotateSession: sessionStore(),
    });
    assert.deepEqual(token.amr, ["pwd"]);
    assert.equal(token.acr, ACR.AAL1);
    assert.equal(token.auth_time, NOW_S);
    assert.equal(token.phr_time, undefined);
    assert.equal(token.uid, "u1");
    assert.match(token.sid ?? "", /^[0-9a-f-]{36}$/);
  });

  it("a new sign-in replaces stronger claims left in the token", async () => {
    const token = await jwtCallback({
      token: {
        uid: "u1",
        amr: ["pwd", "pop", "mfa"],
        acr: ACR.PHR,
        auth_time: 1,
        sid: "old",
        phr_time: 5,
        reauth_time: 6,
      },
      user: { id: "u1" },
      trigger: "signIn",
      now: NOW,
      openGrant: noGrants,
      rotateSession: sessionStore(),
    });
    assert.deepEqual(token.amr, ["pwd"]);
    assert.equal(token.acr, ACR.AAL1);
    assert.equal(token.phr_time, undefined);
    assert.equal(token.reauth_time, undefined);
    assert.notEqual(token.sid, "old");
  });

  it("a passkey sign-in brings phishing-resistant claims, timed at the sign-in", async () => {
    const claims = passkeySignInClaims({ userVerified: true, deviceType: "singleDevice" }, NOW);
    const token = await jwtCallback({
      token: {},
      user: { id: "u1", claims },
      trigger: "signIn",
      now: NOW,
      openGrant: noGrants,
      rotateSession: sessionStore(),
    });
    assert.deepEqual(token.amr, ["pop", "user", "mfa"]);
    assert.equal(token.acr, ACR.PHR);
    assert.equal(token.phr_time, NOW_S);
    assert.equal(token.auth_time, NOW_S);
  });
});

describe("passkey amr mapping (RFC 8176 §2, OpenID EAP)", () => {
  it("UV on a device-bound key: pop, user, mfa (never hwk without attestation)", () => {
    assert.deepEqual(passkeyAmr({ userVerified: true, deviceType: "singleDevice" }), ["pop", "user", "mfa"]);
  });
  it("UV on a synced (backup-eligible) key adds swk", () => {
    assert.deepEqual(passkeyAmr({ userVerified: true, deviceType: "multiDevice" }), ["pop", "swk", "user", "mfa"]);
  });
  it("no UV: no methods at all (single factor is not a step-up)", () => {
    assert.deepEqual(passkeyAmr({ userVerified: false, deviceType: "singleDevice" }), []);
  });
});

describe("raising claims with a grant", () => {
  const base: JWT = { uid: "u1", amr: ["pwd"], acr: ACR.AAL1, auth_time: NOW_S - 3600, sid: "s1" };
  const passkeyGrant: Grant = { amr: ["pop", "user", "mfa"], acr: ACR.PHR, authTime: NOW_S };

  it("a passkey grant upgrades the session: amr merged, acr PHR, phr_time set, auth_time and sid kept", () => {
    const raised = applyGrant(base, passkeyGrant);
    assert.deepEqual(raised.amr, ["pwd", "pop", "user", "mfa"]);
    assert.equal(raised.acr, ACR.PHR);
    assert.equal(raised.phr_time, NOW_S);
    assert.equal(raised.auth_time, base.auth_time);
    assert.equal(raised.sid, "s1");
  });

  it("a password re-entry grant records reauth_time and leaves acr alone", () => {
    const raised = applyGrant(base, { amr: ["pwd"], acr: ACR.AAL1, authTime: NOW_S });
    assert.equal(raised.reauth_time, NOW_S);
    assert.equal(raised.acr, ACR.AAL1);
    assert.deepEqual(raised.amr, ["pwd"]);
  });

  it("the update trigger raises claims from a valid grant, once", async () => {
    const deps = {
      openGrant: grantStore({ g1: { userId: "u1", sessionId: "s1", grant: passkeyGrant } }),
      rotateSession: sessionStore(),
    };
    const raised = await jwtCallback({ token: { ...base }, trigger: "update", session: { grant: "g1" }, ...deps });
    assert.equal(raised.acr, ACR.PHR);
    assert.equal(raised.sid, "s1'", "applied with a rotation");
    // Presented again with the old session's token: that session was rotated away, so nothing is raised.
    const again = await jwtCallback({ token: { ...base }, trigger: "update", session: { grant: "g1" }, ...deps });
    assert.deepEqual(again, base);
  });

  it("the browser-reachable update path ignores forged claims and foreign grants", async () => {
    const deps = {
      openGrant: grantStore({ other: { userId: "u2", sessionId: "s9", grant: passkeyGrant } }),
      rotateSession: sessionStore(),
    };
    for (const session of [
      { amr: ["hwk", "mfa"], acr: ACR.PHR, phr_time: NOW_S },
      { grant: "forged", acr: ACR.PHR },
      { grant: "other" },
      { grant: { $ne: null } },
      { grant: "x".repeat(10_000) },
      null,
    ]) {
      const after = await jwtCallback({ token: { ...base }, trigger: "update", session, ...deps });
      assert.deepEqual(after, base, JSON.stringify(session)?.slice(0, 60));
    }
  });

  it("the session exposes the claims, and a token without them is no signed-in user", () => {
    const empty: Session = {
      user: { id: "", email: "a@example.com", name: "A" },
      expires: "",
      amr: [],
      acr: ACR.AAL1,
      auth_time: 0,
      sid: "",
    };
    const session = sessionCallback({ session: empty, token: { ...base, phr_time: NOW_S } });
    assert.equal(session.user.id, "u1");
    assert.deepEqual(session.amr, ["pwd"]);
    assert.equal(session.phr_time, NOW_S);
    assert.equal(session.sid, "s1");
    const forged = sessionCallback({
      session: empty,
      token: { uid: "u1", acr: "urn:evil" as never, auth_time: 1, sid: "s" },
    });
    assert.equal(forged.user.id, "");
  });
});

describe("acrSatisfies", () => {
  it("orders the classes and rejects unknown values", () => {
    assert.equal(acrSatisfies(ACR.PHR, ACR.AAL1), true);
    assert.equal(acrSatisfies(ACR.AAL1, ACR.AAL1), true);
    assert.equal(acrSatisfies(ACR.AAL1, ACR.PHR), false);
    assert.equal(acrSatisfies("urn:other", ACR.AAL1), false);
    assert.equal(acrSatisfies(undefined, ACR.AAL1), false);
  });
});

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Session } from "next-auth";
import type { JWT } from "next-auth/jwt";
import { jwtCallback, sessionCallback } from "@/lib/auth/callbacks";
import { ACR, acrSatisfies, passwordSignInClaims } from "@/lib/auth/claims";

const NOW = new Date("2026-11-22T10:00:00Z");
const NOW_S = 1_795_341_600;

describe("session claims at sign-in", () => {
  it("a password gives amr [pwd], acr AAL1 and auth_time in epoch seconds", () => {
    assert.deepEqual(passwordSignInClaims(NOW), { amr: ["pwd"], acr: ACR.AAL1, auth_time: NOW_S });
  });

  it("the jwt callback sets the claims, the user id and a new session id on sign-in", () => {
    const token = jwtCallback({ token: { sub: "u1" }, user: { id: "u1" }, trigger: "signIn", now: NOW });
    assert.deepEqual(token.amr, ["pwd"]);
    assert.equal(token.acr, ACR.AAL1);
    assert.equal(token.auth_time, NOW_S);
    assert.equal(token.uid, "u1");
    assert.match(token.sid ?? "", /^[0-9a-f-]{36}$/);
  });

  it("a new sign-in replaces stronger claims left in the token", () => {
    const token = jwtCallback({
      token: { uid: "u1", amr: ["pwd", "pop", "mfa"], acr: ACR.PHR, auth_time: 1, sid: "old" },
      user: { id: "u1" },
      trigger: "signIn",
      now: NOW,
    });
    assert.deepEqual(token.amr, ["pwd"]);
    assert.equal(token.acr, ACR.AAL1);
    assert.notEqual(token.sid, "old");
  });

  it("the browser-reachable update trigger never changes the token", () => {
    const before: JWT = { uid: "u1", amr: ["pwd"], acr: ACR.AAL1, auth_time: NOW_S, sid: "s1" };
    const after = jwtCallback({ token: { ...before }, trigger: "update", now: NOW });
    assert.deepEqual(after, before);
  });

  it("the session exposes the claims, and a token without them is no signed-in user", () => {
    const base: Session = { user: { id: "", email: "a@example.com", name: "A" }, expires: "", amr: [], acr: ACR.AAL1, auth_time: 0, sid: "" };
    const session = sessionCallback({ session: base, token: { uid: "u1", amr: ["pwd"], acr: ACR.AAL1, auth_time: NOW_S, sid: "s1" } });
    assert.equal(session.user.id, "u1");
    assert.deepEqual(session.amr, ["pwd"]);
    assert.equal(session.auth_time, NOW_S);
    assert.equal(session.sid, "s1");
    const forged = sessionCallback({ session: base, token: { uid: "u1", acr: "urn:evil" as never, auth_time: 1, sid: "s" } });
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

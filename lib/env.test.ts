import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { EnvError, parseEnv } from "@/lib/env";

const SECRET = "x".repeat(40);

describe("parseEnv", () => {
  it("single sign-on: off without config, on with all three settings, and refused half-configured", () => {
    assert.equal(parseEnv({ AUTH_SECRET: SECRET }).SSO, null);
    const sso = { OIDC_ISSUER: "https://tenant.auth0.com/", OIDC_CLIENT_ID: "abc", OIDC_CLIENT_SECRET: "shh" };
    assert.deepEqual(parseEnv({ AUTH_SECRET: SECRET, ...sso }).SSO, {
      issuer: "https://tenant.auth0.com/",
      clientId: "abc",
      clientSecret: "shh",
      name: "SSO",
      stepUpAcr: null,
      stepUpAmr: null,
    });
    assert.throws(() => parseEnv({ AUTH_SECRET: SECRET, OIDC_ISSUER: sso.OIDC_ISSUER }), /set all three/);
    assert.throws(() => parseEnv({ AUTH_SECRET: SECRET, ...sso, OIDC_ISSUER: "not a url" }), /OIDC_ISSUER/);
  });

  it("trusts no proxy's X-Forwarded-For unless told how many there are", () => {
    assert.equal(parseEnv({ AUTH_SECRET: SECRET }).TRUSTED_PROXY_HOPS, 0);
    assert.equal(parseEnv({ AUTH_SECRET: SECRET, TRUSTED_PROXY_HOPS: "2" }).TRUSTED_PROXY_HOPS, 2);
    for (const bad of ["-1", "1.5", "all", "11"])
      assert.throws(() => parseEnv({ AUTH_SECRET: SECRET, TRUSTED_PROXY_HOPS: bad }), /TRUSTED_PROXY_HOPS/);
  });

  it("mail: no SMTP_URL means messages wait in the outbox; a URL must be smtp:// or smtps://", () => {
    assert.equal(parseEnv({ AUTH_SECRET: SECRET }).SMTP_URL, undefined);
    assert.equal(
      parseEnv({ AUTH_SECRET: SECRET, SMTP_URL: "smtps://u:p@mail.example:465" }).SMTP_URL,
      "smtps://u:p@mail.example:465",
    );
    for (const bad of ["http://mail.example", "mail.example:25", "smtp:"])
      assert.throws(() => parseEnv({ AUTH_SECRET: SECRET, SMTP_URL: bad }), /SMTP_URL/, bad);
    assert.match(parseEnv({ AUTH_SECRET: SECRET }).MAIL_FROM, /security@/);
    const defaults = parseEnv({ AUTH_SECRET: SECRET });
    assert.deepEqual([defaults.MAIL_WORKER, defaults.MAIL_POLL_MS, defaults.DEV_MAILBOX], ["inline", 5000, undefined]);
    assert.equal(parseEnv({ AUTH_SECRET: SECRET, MAIL_WORKER: "off" }).MAIL_WORKER, "off");
    for (const [name, bad] of [
      ["MAIL_WORKER", "sometimes"],
      ["MAIL_POLL_MS", "0"],
      ["MAIL_POLL_MS", "soon"],
      ["DEV_MAILBOX", "yes"],
    ])
      assert.throws(() => parseEnv({ AUTH_SECRET: SECRET, [name]: bad }), new RegExp(name), `${name}=${bad}`);
  });

  it("applies working local defaults", () => {
    const env = parseEnv({ AUTH_SECRET: SECRET });
    assert.equal(env.DATABASE_URL, "file:./prisma/dev.db");
    assert.equal(env.AUTH_TRUST_HOST, true);
    assert.equal(env.NODE_ENV, "development");
  });

  it("accepts SQLite and PostgreSQL URLs", () => {
    assert.equal(parseEnv({ AUTH_SECRET: SECRET, DATABASE_URL: "file:/tmp/x.db" }).DATABASE_URL, "file:/tmp/x.db");
    const pg = "postgresql://vault:pw@127.0.0.1:5432/vault";
    assert.equal(parseEnv({ AUTH_SECRET: SECRET, DATABASE_URL: pg }).DATABASE_URL, pg);
    assert.equal(parseEnv({ AUTH_SECRET: SECRET, DATABASE_URL: "postgres://h/db" }).DATABASE_URL, "postgres://h/db");
  });

  it("rejects a missing or short AUTH_SECRET with a message that names it", () => {
    assert.throws(
      () => parseEnv({}),
      (err: unknown) => err instanceof EnvError && /AUTH_SECRET: is required/.test(err.message),
    );
    assert.throws(() => parseEnv({ AUTH_SECRET: "short" }), /AUTH_SECRET: must be at least 32 characters/);
  });

  it("treats an empty value as unset", () => {
    assert.throws(() => parseEnv({ AUTH_SECRET: "" }), /AUTH_SECRET/);
    assert.equal(parseEnv({ AUTH_SECRET: SECRET, DATABASE_URL: "" }).DATABASE_URL, "file:./prisma/dev.db");
  });

  it("rejects an unsupported DATABASE_URL", () => {
    assert.throws(
      () => parseEnv({ AUTH_SECRET: SECRET, DATABASE_URL: "mysql://h/db" }),
      /DATABASE_URL: must be a SQLite/,
    );
  });

  it("rejects malformed booleans and NODE_ENV values", () => {
    assert.throws(() => parseEnv({ AUTH_SECRET: SECRET, AUTH_TRUST_HOST: "yes" }), /AUTH_TRUST_HOST/);
    assert.throws(() => parseEnv({ AUTH_SECRET: SECRET, NODE_ENV: "staging" }), /NODE_ENV/);
    assert.equal(parseEnv({ AUTH_SECRET: SECRET, AUTH_TRUST_HOST: "false" }).AUTH_TRUST_HOST, false);
  });

  it("needs no secret while `next build` collects pages, and only then", () => {
    assert.ok(parseEnv({ NEXT_PHASE: "phase-production-build" }).AUTH_SECRET.length >= 32);
    assert.throws(() => parseEnv({ NEXT_PHASE: "phase-production-server" }), /AUTH_SECRET/);
  });

  it("reads the WebAuthn relying party from the environment, never a header", () => {
    const env = parseEnv({ AUTH_SECRET: SECRET, WEBAUTHN_ORIGINS: "https://vault.example.com, http://localhost:3100" });
    assert.deepEqual(env.WEBAUTHN_ORIGINS, ["https://vault.example.com", "http://localhost:3100"]);
    assert.equal(env.WEBAUTHN_RP_ID, "localhost");
    assert.throws(() => parseEnv({ AUTH_SECRET: SECRET, WEBAUTHN_ORIGINS: "vault.example.com" }), /WEBAUTHN_ORIGINS/);
    assert.throws(() => parseEnv({ AUTH_SECRET: SECRET, WEBAUTHN_RP_ID: "https://x" }), /WEBAUTHN_RP_ID/);
  });

  it("allows server actions from the served origins by default, or from APP_ORIGINS when set", () => {
    assert.deepEqual(parseEnv({ AUTH_SECRET: SECRET }).APP_ORIGINS, ["http://localhost:3000"]);
    assert.deepEqual(parseEnv({ AUTH_SECRET: SECRET, WEBAUTHN_ORIGINS: "https://vault.example.com" }).APP_ORIGINS, [
      "https://vault.example.com",
    ]);
    assert.deepEqual(
      parseEnv({ AUTH_SECRET: SECRET, APP_ORIGINS: "https://a.example.com,https://b.example.com" }).APP_ORIGINS,
      ["https://a.example.com", "https://b.example.com"],
    );
    assert.throws(() => parseEnv({ AUTH_SECRET: SECRET, APP_ORIGINS: "*" }), /APP_ORIGINS/);
  });

  it("serves http://localhost on the port Next listens on when no origin is configured", () => {
    assert.deepEqual(parseEnv({ AUTH_SECRET: SECRET, PORT: "4000" }).WEBAUTHN_ORIGINS, ["http://localhost:4000"]);
    assert.deepEqual(parseEnv({ AUTH_SECRET: SECRET, PORT: "4000" }).APP_ORIGINS, ["http://localhost:4000"]);
    assert.deepEqual(
      parseEnv({ AUTH_SECRET: SECRET, PORT: "4000", WEBAUTHN_ORIGINS: "https://vault.example.com" }).WEBAUTHN_ORIGINS,
      ["https://vault.example.com"],
    );
    assert.throws(() => parseEnv({ AUTH_SECRET: SECRET, PORT: "http" }), /PORT/);
  });

  it("caps the step-up intent lifetime at 5 minutes (PSD2 RTS Art. 4(3)(d))", () => {
    assert.equal(parseEnv({ AUTH_SECRET: SECRET }).STEP_UP_INTENT_TTL_S, 300);
    assert.equal(parseEnv({ AUTH_SECRET: SECRET, STEP_UP_INTENT_TTL_S: "3" }).STEP_UP_INTENT_TTL_S, 3);
    assert.throws(() => parseEnv({ AUTH_SECRET: SECRET, STEP_UP_INTENT_TTL_S: "301" }), /STEP_UP_INTENT_TTL_S/);
  });

  it("lists every problem at once", () => {
    try {
      parseEnv({ DATABASE_URL: "nope" });
      assert.fail("expected an EnvError");
    } catch (err) {
      assert.ok(err instanceof EnvError);
      assert.equal(err.issues.length, 2);
    }
  });
});

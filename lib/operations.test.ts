import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { signedUpCustomerWithPasskey } from "@/lib/testing/fixtures";
import type { SoftAuthenticator } from "@/lib/testing/soft-authenticator";
import { raiseInProcess, stepUpInProcess } from "@/lib/testing/step-up-in-process";
import { createTestDatabase, TEST_PROVIDER, type TestDatabase } from "@/lib/testing/test-db";

/**
 * Every protected operation in the index (lib/operations.ts), checked the same way, so a new one is
 * covered without editing this file: it describes itself on the step-up page, resumes once, refuses
 * a changed payload, and is reachable through every channel that exposes it (the web session, the
 * bearer API with a step-up token, the SSO step-up). Each check uses the operation's own `example`
 * for a fresh customer, who signed in with a password (so every example needs a step-up).
 */
let testDb: TestDatabase;
let db: typeof import("@/lib/db").db;
let pipeline: typeof import("@/lib/assurance/pipeline");
let guard: typeof import("@/lib/assurance/guard");
let errors: typeof import("@/lib/errors");
let OPERATIONS: typeof import("@/lib/operations").OPERATIONS;
import { POLICIES, type Policy, type PolicyAction } from "@/lib/assurance/policy";
type User = import("@/lib/auth/current-user").SessionUser;
type Operation = import("@/lib/assurance/operation").Operation<
  unknown,
  Record<string, unknown>,
  unknown,
  unknown,
  import("@/lib/audit/actions").AuditAction
>;
type Customer = { user: User; key: SoftAuthenticator; example: import("@/lib/assurance/operation").ExampleCustomer };

/**
 * What an operation needs of its customer beyond the basics: unfreezing needs a frozen account, with
 * the customer's passkey from before the freeze.
 */
const PRECONDITIONS: Partial<Record<PolicyAction, (userId: string) => Promise<Partial<Customer["example"]>>>> = {
  "account.unfreeze": async (userId) => {
    await db.passkey.updateMany({ where: { userId }, data: { createdAt: new Date(Date.now() - 60_000) } });
    const frozenAt = new Date();
    await db.user.update({ where: { id: userId }, data: { frozenAt } });
    return { frozenSince: frozenAt.toISOString() };
  },
};

async function customer(action?: PolicyAction): Promise<Customer> {
  const c = await signedUpCustomerWithPasskey(db, "Op Tester");
  const extra = action && PRECONDITIONS[action] ? await PRECONDITIONS[action](c.userId) : {};
  const payee = await db.payee.create({
    data: { userId: c.userId, name: "ACME Ltd", iban: "GB82WEST12345698765432", currency: "USD" },
  });
  const user: User = {
    id: c.userId,
    email: c.email,
    name: "Op Tester",
    sid: `sid-${randomUUID()}`,
    claims: { amr: ["pwd"], acr: "urn:vault:acr:aal1", auth_time: Math.floor(Date.now() / 1000) },
  };
  return {
    user,
    key: c.key,
    example: { accountIds: c.accountIds, payeeId: payee.id, passkeyId: c.key.credentialId, ...extra },
  };
}

/** Runs the operation for `actor` and returns the intent the guard stored (it must ask for step-up). */
async function intentFor(
  op: Operation,
  actor: import("@/lib/assurance/operation").Actor,
  input: unknown,
): Promise<string> {
  try {
    await pipeline.perform(op, actor, input);
  } catch (err) {
    if (err instanceof guard.StepUpRequired) return err.intentId;
    throw err;
  }
  throw new Error("the example ran without a step-up: give it an input that needs one");
}

/**
 * The same operation once more, as its used intent: refused with a message (the intent is used, or
 * what it changed is gone), or answered as a replay of the first result (an idempotent payment).
 * Either way the callers check that it didn't run again.
 */
async function onceMore(attempt: Promise<unknown>): Promise<void> {
  await attempt.catch((err: unknown) => {
    if (!(err instanceof errors.DomainError)) throw err;
  });
}

const intentRow = (id: string) => db.stepUpIntent.findUniqueOrThrow({ where: { id } });
const succeeded = (userId: string, op: Operation) =>
  db.auditEvent.count({ where: { userId, action: op.audit.action, outcome: "SUCCESS" } });

before(async () => {
  testDb = await createTestDatabase();
  db = (await import("@/lib/db")).db;
  pipeline = await import("@/lib/assurance/pipeline");
  guard = await import("@/lib/assurance/guard");
  errors = await import("@/lib/errors");
  OPERATIONS = (await import("@/lib/operations")).OPERATIONS;
});
after(async () => {
  await db?.$disconnect();
  await testDb?.drop();
});

// The policies that ask for a step-up (policy.ts is data: importing it opens no database).
const STEP_UP_POLICIES = (Object.keys(POLICIES) as PolicyAction[]).filter((action) => POLICIES[action].acr !== null);

describe(`every protected operation (${TEST_PROVIDER})`, () => {
  it("each policy has an operation that lists it, and each operation's policies exist", () => {
    for (const [action, op] of Object.entries(OPERATIONS)) {
      assert.ok((op.policies as readonly string[]).includes(action), `${action}'s operation doesn't list it`);
      for (const p of op.policies) assert.ok(Object.hasOwn(POLICIES, p), `${p} is not a policy`);
      assert.ok(op.success.length > 0 && op.audit.label.length > 0, `${action} has no confirmation or audit label`);
    }
  });

  for (const name of STEP_UP_POLICIES) {
    const opOf = () => OPERATIONS[name] as Operation;

    it(`${name}: describes itself on the step-up page from the stored payload alone`, async () => {
      const op = opOf();
      const c = await customer(name);
      const intent = await intentRow(await intentFor(op, c.user, op.example(c.example)));
      assert.equal(intent.action, name, `the example is stored under ${name}`);
      const { action, ...payload } = JSON.parse(intent.payload) as Record<string, unknown>;
      const description = pipeline.describeIntent(action as never, payload);
      assert.ok(description.title.trim().length > 0, "a title");
      assert.ok(description.after.trim().length > 0, "what happens after");
      assert.match(description.backTo, /^\/[^/]/, "a path in Vault to go back to");
      for (const [label, value] of description.details) assert.ok(label && value.trim(), `row "${label}" has a value`);
    });

    it(`${name}: resumes once after the passkey, and never again`, async () => {
      const op = opOf();
      const c = await customer(name);
      const input = op.example(c.example);
      const intentId = await intentFor(op, c.user, input);
      const before = await succeeded(c.user.id, op);
      const result = await stepUpInProcess(c.user, intentId, c.key);
      assert.equal(result.ok, true, JSON.stringify(result));
      assert.ok(result.ok && result.redirectTo.startsWith("/") && result.message === op.success);
      assert.equal((await intentRow(intentId)).status, "CONSUMED");
      if (op.resume.kind === "run") assert.equal(await succeeded(c.user.id, op), before + 1, "the operation ran once");
      // The same assertion flow again, and the operation again as that intent: both refused.
      const again = await stepUpInProcess(c.user, intentId, c.key);
      assert.equal(again.ok, false);
      await onceMore(pipeline.perform(op, c.user, input, { intentId }));
      if (op.resume.kind === "run") assert.equal(await succeeded(c.user.id, op), before + 1, "and never again");
    });

    it(`${name}: refuses a payload changed after the passkey's challenge was made`, async () => {
      const op = opOf();
      const { canonicalJson, payloadHashOf } = await import("@/lib/assurance/binding");
      const c = await customer(name);
      const intentId = await intentFor(op, c.user, op.example(c.example));
      const { beginStepUpFor, completeStepUpFor } = await import("@/lib/assurance/step-up");
      const begin = await beginStepUpFor(c.user, intentId);
      assert.ok(begin.ok);
      const changed = canonicalJson({
        ...(JSON.parse((await intentRow(intentId)).payload) as object),
        changed: "by someone else",
      });
      await db.stepUpIntent.update({
        where: { id: intentId },
        data: { payload: changed, payloadHash: payloadHashOf(changed) },
      });
      const before = await succeeded(c.user.id, op);
      const result = await completeStepUpFor(
        c.user,
        intentId,
        c.key.assert({ challenge: begin.options.challenge, origin: "http://localhost:3000", rpId: "localhost" }),
        raiseInProcess,
      );
      assert.equal(result.ok, false);
      assert.equal((await intentRow(intentId)).status, "PENDING");
      assert.equal(await succeeded(c.user.id, op), before, "nothing ran");
    });

    it(`${name}: reachable through the SSO step-up, and the bearer API with a step-up token when it has an API scope`, async () => {
      const op = opOf();
      const { authoriseAndResume } = await import("@/lib/assurance/step-up");
      const { authoriseIntent, findIntent } = await import("@/lib/assurance/intents");
      // SSO: the IdP's answer authorises and resumes through the same pipeline.
      const c = await customer(name);
      const intentId = await intentFor(op, c.user, op.example(c.example));
      const intent = await findIntent(c.user, intentId);
      assert.ok(intent);
      const viaSso = await authoriseAndResume(
        c.user,
        intent,
        { amr: ["fed"], confirmer: { kind: "sso" }, audit: {} },
        raiseInProcess,
      );
      if ((POLICIES[name] as Policy).whenFrozen === "bound" && PRECONDITIONS[name]) {
        // Bound on a frozen account: only a passkey from before the freeze confirms it, never the IdP.
        assert.equal(viaSso.ok, false, JSON.stringify(viaSso));
        assert.equal(await succeeded(c.user.id, op), 0);
        return;
      }
      assert.equal(viaSso.ok, true, JSON.stringify(viaSso));
      assert.equal((await intentRow(intentId)).status, "CONSUMED");
      if (!op.apiScope) return;
      // The API: a token's call stores the intent under its client; the step-up token runs it once.
      const d = await customer(name);
      const client = { id: d.user.id, sid: `api:vlt_client_${randomUUID()}`, claims: d.user.claims };
      const input = op.example(d.example);
      const apiIntent = await intentFor(op, client, input);
      const stored = await intentRow(apiIntent);
      assert.ok(await authoriseIntent(client, apiIntent, stored.payload, "passkey:test"));
      const before = await succeeded(d.user.id, op);
      await pipeline.perform(op, { ...client, intentId: apiIntent }, input);
      assert.equal(await succeeded(d.user.id, op), before + 1);
      await onceMore(pipeline.perform(op, { ...client, intentId: apiIntent }, input));
      assert.equal(await succeeded(d.user.id, op), before + 1, "the token's intent runs once");
    });
  }
});

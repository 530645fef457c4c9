/**
 * The in-process half of `npm run bench`, in its own process (lib/db.ts reads DATABASE_URL at import):
 * the assurance guard's decision and the server's share of one step-up, on the real database, timed
 * with performance.now() around each call. Prints one JSON line for e2e/perf/bench.ts.
 *   node --import tsx --import ./prisma/tools/outside-next.mjs e2e/perf/in-process.ts
 */
import { randomUUID } from "node:crypto";
import { signedUpCustomerWithPasskey } from "../../lib/testing/fixtures";
import { stepUpInProcess, type StepUpTimings } from "../../lib/testing/step-up-in-process";
import { percentiles } from "./report";

const GUARD_ITERATIONS = Number(process.env.BENCH_GUARD_ITERATIONS ?? 10_000);
const STEP_UP_ITERATIONS = Number(process.env.BENCH_STEP_UP_ITERATIONS ?? 1_000);
const WARM_UP = 200;

const { db } = await import("@/lib/db");
const { guard, StepUpRequired } = await import("@/lib/assurance/guard");
type SessionUser = import("@/lib/auth/current-user").SessionUser;

const customer = await signedUpCustomerWithPasskey(db, "Bench Customer");
const key = customer.key;
const created = { id: customer.userId, email: customer.email, name: "Bench Customer" };
const passwordSession = (): SessionUser => ({
  id: created.id,
  email: created.email,
  name: created.name,
  sid: `bench-${randomUUID()}`,
  claims: { amr: ["pwd"], acr: "urn:vault:acr:aal1", auth_time: Math.floor(Date.now() / 1000) },
});

async function timeEach(iterations: number, run: (i: number) => Promise<void>) {
  for (let i = 0; i < WARM_UP; i++) await run(i);
  const samples: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const t0 = performance.now();
    await run(i);
    samples.push(performance.now() - t0);
  }
  return percentiles(samples);
}

const actor = passwordSession();

// 1. Allowed, no step-up policy: a transfer between the customer's own accounts (the decision only: its audit
//    row is written by the operation's transaction, lib/assurance/pipeline.ts).
const allowed = await timeEach(GUARD_ITERATIONS, async (i) => {
  const pass = await guard(actor, "transfer.own", { payload: { from: "a", to: "b", amount: String(i) } });
  if (pass.outcome !== "allowed") throw new Error(`expected allowed, got ${pass.outcome}`);
});

// 1b. Allowed, sensitive: revealing an account number 2 minutes after a passkey step-up (a grace
//     window the claims satisfy: decided on them alone, nothing read).
const afterPasskey: SessionUser = {
  ...passwordSession(),
  claims: {
    amr: ["pwd", "hwk", "user", "mfa"],
    acr: "urn:vault:acr:phr",
    auth_time: Math.floor(Date.now() / 1000) - 600,
    phr_time: Math.floor(Date.now() / 1000) - 120,
  },
};
const allowedSensitive = await timeEach(GUARD_ITERATIONS, async () => {
  const pass = await guard(afterPasskey, "account.reveal", { payload: { accountId: "bench" } });
  if (pass.outcome !== "allowed") throw new Error(`expected allowed, got ${pass.outcome}`);
});

// 2. Step-up required: adding a payee with a password session stores a pending intent and says so.
const stepUpRequired = await timeEach(GUARD_ITERATIONS, async (i) => {
  try {
    await guard(actor, "payee.add", { payload: { payee: { name: `Payee ${i}`, iban: "GB82WEST12345698765432" } } });
  } catch (err) {
    if (err instanceof StepUpRequired) return;
    throw err;
  }
  throw new Error("expected a step-up");
});

// 3. One whole step-up, server side: intent (guard), options, verification of a real ES256 assertion,
//    claim raise (grant minted and consumed, session JWT sealed) and the intent consumed.
const phases = { intent: [] as number[], begin: [] as number[], complete: [] as number[] };
const stepUp = await timeEach(STEP_UP_ITERATIONS, async () => {
  const user = passwordSession(); // a password session each time, so "account.reveal" asks for a passkey
  const t0 = performance.now();
  let intentId = "";
  try {
    await guard(user, "account.reveal", { payload: { accountId: "bench" } });
  } catch (err) {
    if (!(err instanceof StepUpRequired)) throw err;
    intentId = err.intentId;
  }
  const intentMs = performance.now() - t0;
  const timings: StepUpTimings = { beginMs: 0, completeMs: 0 };
  const result = await stepUpInProcess(user, intentId, key, { timings });
  if (!result.ok) throw new Error(`step-up failed: ${result.message}`);
  phases.intent.push(intentMs);
  phases.begin.push(timings.beginMs);
  phases.complete.push(timings.completeMs);
});
// 3b. A payment's step-up, with WebAuthn and with Secure Payment Confirmation (the browser's payment
//     dialog: a "payment.get" assertion whose signed payment is compared with the intent), the same
//     payment intent each time (made through the pipeline, a password session), stopping once it is
//     authorised: the two ceremonies' server cost side by side.
const { perform } = await import("@/lib/assurance/pipeline");
const { transfer } = await import("@/lib/banking/transfers");
const payer = await signedUpCustomerWithPasskey(db, "Bench Payer");
await db.passkey.updateMany({ where: { userId: payer.userId }, data: { payment: true } });
const payee = await db.payee.create({
  data: { userId: payer.userId, name: "ACME Ltd", iban: "GB82WEST12345698765432", currency: "USD" },
});
const PAYMENT_ITERATIONS = Math.max(50, Math.floor(STEP_UP_ITERATIONS / 3));
type PhaseSamples = { begin: number[]; complete: number[] };
async function paymentStepUps(ceremony: "webauthn" | "spc", into: PhaseSamples, warmUp: number) {
  for (let i = 0; i < warmUp + PAYMENT_ITERATIONS / 2; i++) {
    const user: SessionUser = { ...passwordSession(), id: payer.userId, email: payer.email };
    let intentId = "";
    try {
      await perform(transfer, user, {
        fromAccountId: payer.accountIds[0],
        to: `payee:${payee.id}`,
        amount: "125.00",
        idempotencyKey: randomUUID().replaceAll("-", ""),
      });
    } catch (err) {
      if (!(err instanceof StepUpRequired)) throw err;
      intentId = err.intentId;
    }
    const timings: StepUpTimings = { beginMs: 0, completeMs: 0 };
    const result = await stepUpInProcess(user, intentId, payer.key, { timings, ceremony, resume: false });
    if (!result.ok) throw new Error(`${ceremony} step-up failed: ${result.message}`);
    if (i < warmUp) continue;
    into.begin.push(timings.beginMs);
    into.complete.push(timings.completeMs);
  }
}
// Two interleaved rounds each, so drift on a noisy machine falls on both alike.
const paymentSamples = { webauthn: { begin: [], complete: [] }, spc: { begin: [], complete: [] } } as Record<
  "webauthn" | "spc",
  PhaseSamples
>;
for (let round = 0; round < 2; round++) {
  await paymentStepUps("webauthn", paymentSamples.webauthn, round === 0 ? WARM_UP / 4 : 0);
  await paymentStepUps("spc", paymentSamples.spc, round === 0 ? WARM_UP / 4 : 0);
}
const phaseStats = ({ begin, complete }: PhaseSamples) => ({
  server: percentiles(begin.map((b, i) => b + complete[i])),
  begin: percentiles(begin),
  complete: percentiles(complete),
});
const paymentStepUp = { webauthn: phaseStats(paymentSamples.webauthn), spc: phaseStats(paymentSamples.spc) };

// 4. Reading the session: the cookie's JWE decrypted (the floor), and the whole read Vault does on every
//    request (decrypt, the claims mapped, the server-side session row checked: lib/auth/current-user.ts).
const { encode, decode } = await import("next-auth/jwt");
const { sessionUserOf } = await import("@/lib/auth/current-user");
const secret = process.env.AUTH_SECRET!;
const salt = "authjs.session-token";
const sid = `bench-session-${randomUUID()}`;
await db.session.create({
  data: { id: sid, userId: created.id, method: "password", expiresAt: new Date(Date.now() + 3_600_000) },
});
const sessionToken = await encode({
  secret,
  salt,
  token: { name: created.name, email: created.email, sub: created.id, uid: created.id, sid, ...actor.claims },
});
// The floor: the cookie's JWE decrypted alone (next-auth/jwt decode: derive the key, decrypt, check exp).
const decryptOnly = await timeEach(GUARD_ITERATIONS, async () => {
  if (!(await decode({ token: sessionToken, secret, salt }))) throw new Error("no token");
});
const sessionRead = await timeEach(GUARD_ITERATIONS, async () => {
  const token = await decode({ token: sessionToken, secret, salt });
  if (!token || !(await sessionUserOf(token))) throw new Error("the session didn't read as live");
});

// 5. The floors a step-up can't go under: verifying an ES256 assertion alone (SimpleWebAuthn, no
//    database), and one durable commit alone (a one-row UPDATE: an fsync on SQLite's WAL with
//    synchronous=FULL, a WAL flush on PostgreSQL with fsync=on).
const { verifyAuthenticationResponse } = await import("@simplewebauthn/server");
const { TEST_RP } = await import("../../lib/testing/step-up-in-process");
const floorChallenge = Buffer.alloc(64, 7).toString("base64url");
const floorAssertion = key.assert({ challenge: floorChallenge, ...TEST_RP });
const verifyOnly = await timeEach(GUARD_ITERATIONS / 10, async () => {
  const { verified } = await verifyAuthenticationResponse({
    response: floorAssertion as never,
    expectedChallenge: floorChallenge,
    expectedOrigin: TEST_RP.origin,
    expectedRPID: TEST_RP.rpId,
    credential: { id: key.credentialId, publicKey: new Uint8Array(key.cosePublicKey), counter: 0 },
    requireUserVerification: true,
  });
  if (!verified) throw new Error("the floor assertion didn't verify");
});
const oneCommit = await timeEach(GUARD_ITERATIONS / 10, async () => {
  await db.session.update({ where: { id: sid }, data: { lastSeenAt: new Date() } });
});

// The sample above includes the authenticator's signing (client work); the server's share is the sum of the phases.
const serverShare = phases.intent.map((v, i) => v + phases.begin[i] + phases.complete[i]).slice(WARM_UP);
const of = (xs: number[]) => percentiles(xs.slice(WARM_UP));

await db.$disconnect();
console.log(
  JSON.stringify({
    guard: { allowed, allowedSensitive, stepUpRequired },
    session: { decryptOnly, read: sessionRead },
    floors: { verifyOnly, oneCommit },
    paymentStepUp,
    stepUp: {
      withSigning: stepUp,
      server: percentiles(serverShare),
      intent: of(phases.intent),
      begin: of(phases.begin),
      complete: of(phases.complete),
    },
  }),
);

/**
 * One whole step-up on the server without a browser: the options Vault would send, an assertion from
 * the software authenticator, and the verification, claim raise and resume. The integration tests
 * and `npm run bench` (e2e/perf) both use it, so the bench times exactly what the tests prove.
 * Import after lib/db.ts can see its DATABASE_URL (it loads lib/ on first use).
 */
import type { SessionUser } from "@/lib/auth/current-user";
import type { CompleteResult, RaiseClaims } from "@/lib/assurance/step-up";
import type { SpcRequest } from "@/lib/assurance/spc";
import type { SoftAuthenticator } from "./soft-authenticator";

/** What the browser's origin and the RP id are in tests (lib/env.ts defaults). */
export const TEST_RP = { origin: "http://localhost:3000", rpId: "localhost" };

/**
 * The claim raise without a response to set a cookie on: the same sealed grant the session callback
 * opens (lib/auth/grants.ts, lib/auth/callbacks.ts), applied to `user.claims`, and the session JWT
 * sealed again, as Auth.js does when it sets the upgraded cookie. The session rotation that goes with
 * it in the app is not run here (there is no cookie to rotate): rotation.test.ts covers it.
 */
export const raiseInProcess: RaiseClaims = async (user, grant) => {
  const [{ mintGrant, openGrant }, { applyGrant }, { encode }, { env }] = await Promise.all([
    import("@/lib/auth/grants"),
    import("@/lib/auth/claims"),
    import("next-auth/jwt"),
    import("@/lib/env"),
  ]);
  const raw = mintGrant({ userId: user.id, sessionId: user.sid, ...grant });
  const opened = await openGrant(raw, user.id, user.sid);
  if (!opened) throw new Error("the grant just minted could not be opened");
  user.claims = applyGrant(user.claims, opened);
  await encode({
    token: { sub: user.id, sid: user.sid, ...user.claims },
    secret: env.AUTH_SECRET,
    salt: "authjs.session-token",
  });
};

export type StepUpTimings = { beginMs: number; completeMs: number };

/**
 * The `payment` member a browser's SPC dialog signs for what the server asked it to show (W3C SPC
 * §4.2), on the test origin; `change` alters it as a tampered dialog would.
 */
export function shownPayment(spc: SpcRequest, change: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    rpId: spc.rpId,
    topOrigin: TEST_RP.origin,
    payeeName: spc.payeeName,
    total: spc.total,
    instrument: { displayName: spc.instrument.displayName, icon: `${TEST_RP.origin}${spc.icon}` },
    ...change,
  };
}

/**
 * Begins and completes a step-up for `intentId` with `key`. `tamper` may change the assertion first;
 * `timings` receives the server's two halves (the authenticator's signing is not the server's cost).
 */
export async function stepUpInProcess(
  user: SessionUser,
  intentId: string,
  key: SoftAuthenticator,
  options: {
    tamper?: (assertion: ReturnType<SoftAuthenticator["assert"]>) => unknown;
    timings?: StepUpTimings;
    /**
     * "spc": asks for the browser's payment dialog (Secure Payment Confirmation) and signs a
     * "payment.get" showing exactly what the server asked it to show; fails if it wasn't issued so.
     */
    ceremony?: "webauthn" | "spc";
    /** false: stop once the intent is authorised (the bench times the step-up, not the payment after it). */
    resume?: boolean;
  } = {},
): Promise<CompleteResult> {
  const { beginStepUpFor, completeStepUpFor } = await import("@/lib/assurance/step-up");
  const { resumeIntent } = await import("@/lib/assurance/pipeline");
  const t0 = performance.now();
  const begin = await beginStepUpFor(user, intentId, options.ceremony);
  const t1 = performance.now();
  if (!begin.ok) return begin;
  if (options.ceremony === "spc" && !begin.spc) throw new Error("the challenge wasn't issued for the payment dialog");
  const spc = begin.spc;
  const assertion = key.assert({
    challenge: begin.options.challenge,
    ...TEST_RP,
    ...(spc ? { payment: shownPayment(spc) } : {}),
  });
  const response = options.tamper ? options.tamper(assertion) : assertion;
  const t2 = performance.now();
  const result = await completeStepUpFor(
    user,
    intentId,
    response,
    raiseInProcess,
    options.resume === false ? async () => "/authorised" : resumeIntent,
  );
  if (options.timings) {
    options.timings.beginMs = t1 - t0;
    options.timings.completeMs = performance.now() - t2;
  }
  return result;
}

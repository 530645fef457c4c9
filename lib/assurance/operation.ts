import type { AssuranceClaims } from "@/lib/auth/claims";
import type { GuardFacts } from "@/lib/assurance/evaluate";
import type { PolicyAction } from "@/lib/assurance/policy";
import type { Scope } from "@/lib/api/scopes";
import type { Tx } from "@/lib/db";
import type { PaymentDetails } from "@/lib/assurance/spc";

/**
 * Who acts: a customer (`id`), the sign-in or API client they act through (`sid`), and the assurance
 * claims of that credential. `intentId` is set when the credential itself was issued for one
 * confirmed operation (an API step-up token): such an actor runs that intent and nothing else,
 * whatever its claims would allow (RFC 9470 §4, PSD2 RTS Art. 5(1)).
 */
export type Actor = {
  id: string;
  sid: string;
  claims: AssuranceClaims;
  intentId?: string | null;
  /** Where a browser's request comes from, for the risk signals (lib/risk); absent for an API client. */
  context?: BrowserContext;
};

/**
 * A signed-in browser's request, as the server sees it (lib/auth/current-user.ts): the device cookie's
 * verified id (null: none, or forged), the client address and the sign-in's (null when the deployment
 * can't know them, README "Client addresses"), and when the sign-in was made.
 */
export type BrowserContext = {
  deviceId: string | null;
  ip: string | null;
  userAgent: string | null;
  signInIp: string | null;
  signedInAt: Date;
};

/**
 * What the step-up page shows: built only from the intent's stored payload, which is exactly what
 * the passkey signs (PSD2 RTS Art. 5(1)(a): the payer sees the amount and the payee).
 */
export type IntentDescription = {
  /** One line, e.g. "Send $1,250.00 to ACME Ltd". */
  title: string;
  details: [label: string, value: string][];
  /** What happens after a successful confirmation. */
  after: string;
  /** Something to check before confirming (a payee that looks like a duplicate): the operation's `warning`. */
  warning?: string | null;
  /** Where Cancel goes back to, and where Edit takes the customer. */
  backTo: string;
};

/** The exact operation, checked against the database and ready to authorise. */
export type Prepared<P, C> = {
  /** The policy it falls under now (an operation may fall under one of several, e.g. by direction). */
  action: PolicyAction;
  /** What the customer authorises: what the step-up page shows and the passkey's challenge binds. */
  payload: P;
  /** Facts an exemption depends on (amounts, payee history). */
  facts?: Omit<GuardFacts, "hasPasskey">;
  /** Anything `run` needs that isn't authorised (read while preparing, never stored in the intent). */
  carry: C;
};

/** A payload is JSON data: it is stored canonically and hashed into the challenge. */
export type Payload = Record<string, unknown>;

/**
 * One protected operation, defined once next to its verb. The pipeline (lib/assurance/pipeline.ts)
 * runs it the same way on every channel: parse `input`, `prepare`, guard, then `run` inside one
 * transaction with the intent's consumption.
 */
export type Operation<
  In = unknown,
  P extends Payload = Payload,
  C = unknown,
  R = unknown,
  A extends string = string,
> = {
  /** The policies `prepare` may choose from (policy.ts). */
  policies: readonly PolicyAction[];
  /** The payload's schema: what a form or an API client sends. */
  input: {
    safeParse(
      raw: unknown,
    ): { success: true; data: In } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } };
  };
  /**
   * Checks everything that can be checked before writing (ownership, funds, limits, existence) and
   * builds the exact operation. Runs again when a confirmed intent resumes, so what changed in the
   * meantime is caught before anything is written. `{ replay }` answers a retry that already ran.
   */
  prepare(actor: Actor, input: In): Promise<Prepared<P, C> | { replay: R }>;
  /** The stored payload, back as input: a resume goes through `input` and `prepare` like a new request. */
  inputOf(payload: P): unknown;
  /** How the step-up page describes it: the sentence and the rows the passkey signs. */
  describe(payload: P): IntentDescription;
  /**
   * For a payment: what the browser's own Secure Payment Confirmation dialog shows and the passkey
   * signs (lib/assurance/spc.ts), from the stored payload only. Without it, step-up is WebAuthn.
   */
  payment?(payload: P): PaymentDetails;
  /**
   * Something to check before confirming, worked out when the confirmation is shown (not part of
   * the payload, so it can't make a confirmed intent differ from itself): e.g. a duplicate payee.
   */
  warning?(actor: Actor, payload: P): Promise<string | null>;
  /** Rows the review before it adds to `describe`'s, from what prepare found (e.g. the balance after a payment). */
  review?(prepared: Prepared<P, C>): [label: string, value: string][];
  /** Slow work that needs no transaction (hashing), after the guard has allowed it. */
  compute?(actor: Actor, prepared: Prepared<P, C>): Promise<C>;
  /** The operation itself, inside the transaction that consumes its intent. `sca` is how it was authorised. */
  run(tx: Tx, actor: Actor, prepared: Prepared<P, C>, ctx: { sca: Sca }): Promise<R>;
  /** What the consumed intent records about the result (ids, never secrets). */
  record(result: R): Record<string, string>;
  /**
   * After a step-up: "run" resumes the operation at once; "revisit" only uses up the intent, and the
   * page at `to` finishes it under the raised claims (a grace window, for results shown once).
   */
  resume:
    | { kind: "run"; to(result: R): string; /** The link to it once done, e.g. "View receipt". */ label: string }
    | { kind: "revisit"; to(payload: P, intentId: string): string };
  /** The confirmation shown once it is done (a toast after a resume). */
  success: string;
  /** Its audit action and how the activity log labels it; `failures`: refusals are audited too. */
  audit: { action: A; label: string; failures?: boolean };
  /** The API scope a step-up token for this operation carries, when the API exposes it. */
  apiScope?: Scope;
  /** A valid input for a customer with these things, for the operations test and the docs. */
  example(customer: ExampleCustomer): unknown;
};

/** How strong customer authentication was satisfied, for the record (Transfer.sca). */
export type Sca = "NONE" | "EXEMPT_LOW_VALUE" | "EXEMPT_TRA" | "STEP_UP" | "STEP_UP_SPC";

/** What an example input may refer to: a fresh customer's own accounts, payee and passkey. */
export type ExampleCustomer = {
  accountIds: string[];
  payeeId: string;
  passkeyId: string;
  /** When the customer's account was frozen, for the operation that unfreezes it. */
  frozenSince?: string;
};

/** Keeps an operation's types while checking it against Operation (the index erases them). */
export const defineOperation = <In, P extends Payload, C, R, const A extends string>(
  op: Operation<In, P, C, R, A>,
): Operation<In, P, C, R, A> => op;

/**
 * Thrown by `run` when an exemption it ran under was used up by a concurrent operation: the pipeline
 * decides again with the exemption spent, which asks for step-up (so it can't lose this way twice).
 */
export class ExemptionSpent extends Error {
  constructor() {
    super("exemption spent concurrently");
    this.name = "ExemptionSpent";
  }
}

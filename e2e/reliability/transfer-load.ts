/**
 * Transfer load over real HTTP: createTransferAction calls exactly as the transfer page sends them,
 * between each customer's own accounts (policy transfer.own: no step-up), with random amounts (some
 * more than the balance or the per-transfer maximum, which the app refuses with a field error) and a
 * share of retries that reuse an earlier request's idempotency key and fields.
 */
import { randomBytes } from "node:crypto";
import {
  callAction,
  cookiesOf,
  formData,
  serverAction,
  signInCookie,
  type Endpoint,
  type HttpResult,
} from "../support/server-actions";
import { inPool } from "../support/pool";
import type { Sql } from "../support/sql";
import type { Random } from "../support/random";
export { random } from "../support/random";

export type Customer = { email: string; cookie: string; accountIds: string[] };

export type TransferRequest = {
  customer: Customer;
  idempotencyKey: string;
  fromAccountId: string;
  to: string;
  amount: string;
  /** A resend of an earlier request (same key and fields). */
  retry: boolean;
};

export type Outcome =
  | { kind: "success"; transferId: string }
  | { kind: "handled"; message: string }
  | { kind: "server_error"; status: number }
  | { kind: "network_error"; error: string }
  | { kind: "unexpected"; status: number; body: string };

export type Sent = { request: TransferRequest; outcome: Outcome };

/** The demo customers, signed in through Auth.js, with their accounts. */
export async function signInCustomers(
  endpoint: Endpoint,
  sql: Sql,
  users: { email: string; password: string }[],
): Promise<Customer[]> {
  return Promise.all(
    users.map(async ({ email, password }) => {
      const accounts = await sql.all<{ id: string }>(
        `SELECT a."id" FROM "Account" a JOIN "User" u ON u."id" = a."userId" WHERE u."email" = ? ORDER BY a."id"`,
        email,
      );
      return { email, cookie: await signInCookie(endpoint, email, password), accountIds: accounts.map((a) => a.id) };
    }),
  );
}

/**
 * `total` requests: about `retryShare` of them repeat an earlier request, and sit a few places after
 * it, so some retries race their original and some come after its answer.
 */
export function planTransfers(
  customers: Customer[],
  total: number,
  retryShare: number,
  rng: Random,
): TransferRequest[] {
  const plan: TransferRequest[] = [];
  while (plan.length < total) {
    if (plan.length > 0 && rng.next() < retryShare) {
      const original = plan[Math.max(0, plan.length - rng.int(1, 64))];
      plan.push({ ...original, retry: true });
      continue;
    }
    const customer = rng.pick(customers);
    const [from, to] = rng.next() < 0.5 ? customer.accountIds : [...customer.accountIds].reverse();
    plan.push({
      customer,
      idempotencyKey: randomBytes(18).toString("base64url"),
      fromAccountId: from,
      to: `account:${to}`,
      amount: randomAmount(rng),
      retry: false,
    });
  }
  return plan;
}

/** Mostly everyday amounts; one in five large enough to overdraw checking or pass the $25,000.00 maximum. */
function randomAmount(rng: Random): string {
  const cents = rng.next() < 0.8 ? rng.int(1, 50_000) : rng.int(100_000, 3_000_000);
  return `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, "0")}`;
}

const TRANSFER_PAGE = /^\/transfers\/([a-z0-9]+)$/;

/** What one response means: a receipt, a message the form shows, or a failure. */
export function classify(response: HttpResult): Outcome {
  if (response.status >= 500) return { kind: "server_error", status: response.status };
  if (response.status >= 400) return { kind: "handled", message: `HTTP ${response.status}` };
  const receipt = response.redirect && TRANSFER_PAGE.exec(response.redirect);
  if (response.status === 200 && receipt) return { kind: "success", transferId: receipt[1] };
  // The action's result row: {"status":"error","message":…,"fieldErrors":{…}}.
  const state = /"status":"error","message":"([^"]+)","fieldErrors":(\{[^}]*\})/.exec(response.body);
  if (response.status === 200 && state)
    return {
      kind: "handled",
      message: state[2] === "{}" ? state[1] : Object.values(JSON.parse(state[2]) as Record<string, string>)[0],
    };
  return { kind: "unexpected", status: response.status, body: response.body.slice(0, 300) };
}

export async function sendTransfer(endpoint: Endpoint, r: TransferRequest): Promise<Outcome> {
  const fields = {
    fromAccountId: r.fromAccountId,
    to: r.to,
    amount: r.amount,
    memo: "load",
    idempotencyKey: r.idempotencyKey,
  };
  try {
    return classify(
      await callAction(
        endpoint,
        "/transfers/new",
        serverAction("createTransferAction"),
        [{ status: "idle" }, formData(fields)],
        r.customer.cookie,
      ),
    );
  } catch (err) {
    return { kind: "network_error", error: (err as Error).message };
  }
}

/**
 * Sends the plan with at most `concurrency` requests in flight, in plan order. `afterEach` sees each
 * answer as it arrives (the kill test uses it to pull the plug mid-run).
 */
export async function sendAll(
  endpoint: Endpoint,
  plan: TransferRequest[],
  concurrency: number,
  afterEach?: (done: number) => void,
): Promise<Sent[]> {
  let done = 0;
  return inPool(plan, concurrency, async (request) => {
    const sent = { request, outcome: await sendTransfer(endpoint, request) };
    afterEach?.(++done);
    return sent;
  });
}

export type LoadSummary = {
  requests: number;
  retries: number;
  successes: number;
  /** Successful answers for a key that had already succeeded: the idempotent replays. */
  replays: number;
  handled: number;
  serverErrors: number;
  networkErrors: number;
  unexpected: number;
  /** Distinct keys with a successful answer: each must be exactly one transfer row. */
  keysSucceeded: number;
  /** Keys whose successful answers named different transfers (must be 0). */
  keysWithTwoTransfers: number;
  handledMessages: Record<string, number>;
};

export function summarise(sent: Sent[]): LoadSummary & { transferOfKey: Map<string, string> } {
  const transferOfKey = new Map<string, string>();
  const conflicting = new Set<string>();
  const summary: LoadSummary = {
    requests: sent.length,
    retries: sent.filter((s) => s.request.retry).length,
    successes: 0,
    replays: 0,
    handled: 0,
    serverErrors: 0,
    networkErrors: 0,
    unexpected: 0,
    keysSucceeded: 0,
    keysWithTwoTransfers: 0,
    handledMessages: {},
  };
  for (const { request: r, outcome } of sent) {
    const key = r.idempotencyKey; // random, so unique across customers too
    switch (outcome.kind) {
      case "success": {
        summary.successes++;
        const known = transferOfKey.get(key);
        if (known === undefined) transferOfKey.set(key, outcome.transferId);
        else {
          summary.replays++;
          if (known !== outcome.transferId) conflicting.add(key);
        }
        break;
      }
      case "handled":
        summary.handled++;
        summary.handledMessages[outcome.message] = (summary.handledMessages[outcome.message] ?? 0) + 1;
        break;
      case "server_error":
        summary.serverErrors++;
        break;
      case "network_error":
        summary.networkErrors++;
        break;
      case "unexpected":
        summary.unexpected++;
        break;
    }
  }
  summary.keysSucceeded = transferOfKey.size;
  summary.keysWithTwoTransfers = conflicting.size;
  return { ...summary, transferOfKey };
}

/**
 * Every successful key is exactly one new transfer row, and the receipt it was answered with is that
 * row: `rowsBefore` and `rowsAfter` are transferKeys() (id -> key) around the run.
 */
export function receiptsMatchRows(
  rowsBefore: Map<string, string>,
  rowsAfter: Map<string, string>,
  transferOfKey: Map<string, string>,
): string[] {
  const problems: string[] = [];
  const created = [...rowsAfter].filter(([id]) => !rowsBefore.has(id));
  if (created.length !== transferOfKey.size)
    problems.push(`${created.length} transfer rows created, but ${transferOfKey.size} keys succeeded`);
  for (const [key, id] of transferOfKey) {
    if (rowsAfter.get(id) !== key)
      problems.push(
        `key ${key} was answered with transfer ${id}, whose key is ${rowsAfter.get(id) ?? "(no such row)"}`,
      );
  }
  return problems.slice(0, 20);
}

/** A new customer through the real sign-up action (two funded accounts); returns them signed in. */
export async function signUpCustomer(endpoint: Endpoint, sql: Sql, email: string): Promise<Customer> {
  const fields = { name: "Load Tester", email, password: "a long load-test passphrase" };
  const response = await callAction(endpoint, "/signup", serverAction("signUpAction"), [
    { status: "idle" },
    formData(fields),
  ]);
  const cookie = cookiesOf(response);
  if (!response.redirect?.endsWith("/dashboard") || !cookie.includes("session-token="))
    throw new Error(`sign-up of ${email} failed: ${response.status} ${response.body.slice(0, 200)}`);
  const accounts = await sql.all<{ id: string }>(
    `SELECT a."id" FROM "Account" a JOIN "User" u ON u."id" = a."userId" WHERE u."email" = ? ORDER BY a."id"`,
    email,
  );
  return { email, cookie, accountIds: accounts.map((a) => a.id) };
}

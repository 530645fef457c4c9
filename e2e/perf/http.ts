/**
 * A small closed-loop HTTP driver: `concurrency` clients on keep-alive connections, each sending its
 * next request as soon as the last one answered, timed with performance.now() (microseconds, where
 * autocannon's histogram rounds to whole milliseconds, too coarse for a 1.05 ratio at ~3 ms).
 * Transfers go the way the transfer page sends them: the createTransferAction server action, its
 * arguments encoded once by React's own encodeReply, with a fresh idempotency key per request put in
 * place of a placeholder of the same length.
 */
import { randomBytes } from "node:crypto";
import { ACTION_HEADERS, encodeArgs, formData, request, serverAction, type Endpoint } from "../support/server-actions";
import { percentiles } from "./report";

export type LoadResult = {
  concurrency: number;
  seconds: number;
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  failed: number;
};

/** Runs `send` from `concurrency` clients for `seconds`; `send` resolves true for an answer that did what was asked. */
export async function closedLoop(
  concurrency: number,
  seconds: number,
  send: () => Promise<boolean>,
): Promise<LoadResult> {
  const samples: number[] = [];
  let failed = 0;
  const start = performance.now();
  const deadline = start + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        const t0 = performance.now();
        const ok = await send().catch(() => false);
        samples.push(performance.now() - t0);
        if (!ok) failed++;
      }
    }),
  );
  const elapsedS = (performance.now() - start) / 1000;
  const { p50, p99 } = percentiles(samples);
  return { concurrency, seconds: elapsedS, requests: samples.length, rps: samples.length / elapsedS, p50, p99, failed };
}

/** A GET that must answer 200. */
export const getOk =
  (endpoint: Endpoint, path: string, cookie = "") =>
  async () =>
    (await request(endpoint, path, { headers: cookie ? { cookie } : {} })).status === 200;

export type Mover = { cookie: string; accountIds: [string, string] };

const PLACEHOLDER = "K".repeat(24); // an idempotency key's length (the schema takes 16-64 of [A-Za-z0-9_-])

/**
 * $1.00 transfers between each customer's own two accounts (policy transfer.own: no step-up),
 * alternating direction so no balance runs out. True when the answer is the redirect to the receipt.
 */
export async function transferSender(endpoint: Endpoint, movers: Mover[]): Promise<() => Promise<boolean>> {
  const action = serverAction("createTransferAction");
  const templates = await Promise.all(
    movers.flatMap((m) =>
      [0, 1].map(async (i) => ({
        cookie: m.cookie,
        encoded: await encodeArgs([
          { status: "idle" },
          formData({
            fromAccountId: m.accountIds[i],
            to: `account:${m.accountIds[1 - i]}`,
            amount: "1.00",
            memo: "bench",
            idempotencyKey: PLACEHOLDER,
          }),
        ]),
      })),
    ),
  );
  let next = 0;
  return async () => {
    const t = templates[next++ % templates.length];
    const body = Buffer.from(
      t.encoded.body.toString("latin1").replace(PLACEHOLDER, randomBytes(18).toString("base64url")),
      "latin1",
    );
    const answer = await request(endpoint, "/transfers/new", {
      method: "POST",
      headers: {
        ...ACTION_HEADERS,
        "next-action": action.id,
        origin: endpoint.origin,
        "content-type": t.encoded.contentType,
        cookie: t.cookie,
      },
      body,
    });
    return answer.status === 200 && answer.redirect?.startsWith("/transfers/") === true;
  };
}

/**
 * $1.00 transfers between each customer's own two accounts through the bearer API (POST /api/v1/transfers,
 * policy transfer.own), alternating direction, each with its own idempotency key. True on 201.
 */
export function apiTransferSender(endpoint: Endpoint, movers: (Mover & { accessToken: string })[]) {
  let next = 0;
  return async () => {
    const n = next++;
    const m = movers[n % movers.length];
    const i = Math.floor(n / movers.length) % 2;
    const answer = await request(endpoint, "/api/v1/transfers", {
      method: "POST",
      headers: {
        authorization: `Bearer ${m.accessToken}`,
        "content-type": "application/json",
        "idempotency-key": randomBytes(18).toString("base64url"),
      },
      body: JSON.stringify({ from_account_id: m.accountIds[i], to: `account:${m.accountIds[1 - i]}`, amount: "1.00" }),
    });
    return answer.status === 201;
  };
}

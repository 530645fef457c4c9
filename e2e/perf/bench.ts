/**
 * `npm run bench`: what step-up, the guard and transfers cost, measured against baselines in the same
 * run (these machines are noisy, so every target is a ratio or a median over many iterations).
 * Production servers (`next start`) on 127.0.0.1 only, SQLite by default; BENCH_DATABASE_URL=postgresql://…
 * runs everything on PostgreSQL (one fresh database per part, on that server). Prints a table and the
 * targets, and writes the same figures to bench-results.json. It never fails on a missed target.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { prepareDatabase, startAppServer, type AppServer } from "../support/app-server";
import { freePort } from "../support/free-port";
import { callAction, formData, serverAction, signInCookie, type Endpoint } from "../support/server-actions";
import { freshDatabase, openSql, type Provider } from "../support/sql";
import { checkLedger } from "../reliability/ledger-invariants";
import { BARE_APP, buildBareApp, ensureBenchBuild, NEXT_BIN, ROOT } from "./build";
import { apiTransferSender, closedLoop, getOk, transferSender, type LoadResult, type Mover } from "./http";
import { addSoftPasskey, apiAccessToken, revealWithStepUp } from "./http-step-up";
import { explainHotQueries, growLedger } from "./ledger";
import { firstLoadJs } from "./page-weight";
import { fmt, ms, percentiles, ratio, Report } from "./report";

// The bench's own build (next.config.js); e2e/support/server-actions.ts reads its action ids from it too.
process.env.VAULT_BENCH_BUILD = "1";
const PG_BASE = process.env.BENCH_DATABASE_URL || undefined;
const provider: Provider = PG_BASE ? "postgresql" : "sqlite";
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5); // per throughput run
/** BENCH_PARTS=guard,load (any of inprocess, weight, guard, session, load, scale) runs only those parts. */
const PARTS = new Set(
  (process.env.BENCH_PARTS ?? "inprocess,weight,guard,session,load,scale").split(",").map((p) => p.trim()),
);
const BENCH_ENV = { LOG_LEVEL: "error" };
/** BENCH_PROFILE=<dir>: every server and the in-process run write a V8 CPU profile there (node --cpu-prof). */
const PROFILE_DIR = process.env.BENCH_PROFILE ? path.resolve(process.env.BENCH_PROFILE) : null;
const NODE_ARGS = PROFILE_DIR ? ["--cpu-prof", `--cpu-prof-dir=${PROFILE_DIR}`] : [];
const CUSTOMERS = [
  { email: "alice@example.com", password: "demo-password-alice" },
  { email: "bob@example.com", password: "demo-password-bob" },
];

const began = Date.now();
const report = new Report({
  measuredAt: new Date().toISOString(),
  machine: {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? "unknown",
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
  },
  database: provider,
});
const section = (title: string) => console.log(`\n${title}`);
const database = (name: string) => freshDatabase(provider, `vault_bench_${name}`, PG_BASE);
const endpointOf = (server: { url: string; origin: string }): Endpoint => ({ url: server.url, origin: server.origin });
const stoppers: (() => Promise<void>)[] = [];

async function customers(endpoint: Endpoint, databaseUrl: string): Promise<(Mover & { userId: string })[]> {
  const sql = await openSql(databaseUrl);
  try {
    return await Promise.all(
      CUSTOMERS.map(async ({ email, password }) => {
        const rows = await sql.all<{ id: string; userId: string }>(
          `SELECT a."id", a."userId" FROM "Account" a JOIN "User" u ON u."id" = a."userId" WHERE u."email" = ? ORDER BY a."createdAt", a."id"`,
          email,
        );
        return {
          userId: rows[0].userId,
          cookie: await signInCookie(endpoint, email, password),
          accountIds: [rows[0].id, rows[1].id] as [string, string],
        };
      }),
    );
  } finally {
    await sql.close();
  }
}

/** The bare app, served by `next start` like Vault. */
async function startBare(): Promise<{ url: string; origin: string; stop(): Promise<void> }> {
  const port = await freePort();
  const child: ChildProcess = spawn(
    process.execPath,
    [NEXT_BIN, "start", "--hostname", "127.0.0.1", "--port", String(port)],
    {
      cwd: BARE_APP,
      env: { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1", VAULT_BENCH_BUILD: "0" },
      stdio: "ignore",
    },
  );
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  while (
    (await fetch(url).then(
      (r) => r.status,
      () => 0,
    )) !== 200
  ) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error("the bare Next app didn't start");
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url,
    origin: `http://localhost:${port}`,
    stop: () =>
      new Promise<void>((resolve) =>
        child.exitCode !== null ? resolve() : (child.once("exit", () => resolve()), child.kill("SIGTERM")),
      ),
  };
}

function loadRow(name: string, r: LoadResult) {
  report.row(
    "load",
    name,
    `${fmt(r.rps)} req/s`,
    `p50 ${ms(r.p50)}, p99 ${ms(r.p99)}, ${r.requests} requests${r.failed ? `, ${r.failed} FAILED` : ""}`,
  );
}

try {
  console.log(
    `Vault bench: ${provider}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, Node ${process.version}`,
  );

  if (PG_BASE) await durability(PG_BASE);

  section("Builds");
  const benchBuildS = ensureBenchBuild();
  const bareBuildS = buildBareApp();
  report.row("builds", "Vault bench build (.next-bench)", benchBuildS ? `${fmt(benchBuildS)} s` : "reused");
  report.row("builds", "bare Next app build", `${fmt(bareBuildS)} s`);

  // ── 1 and 2: in-process ───────────────────────────────────────────────────────────────────────
  if (PARTS.has("inprocess")) await inProcessPart();

  // ── HTTP: one production server for page weight, the guard ratio and throughput ──────────────────
  if (["weight", "guard", "session", "load"].some((part) => PARTS.has(part))) await httpParts();

  // ── 5: scaling ────────────────────────────────────────────────────────────────────────────────
  if (PARTS.has("scale")) await scalePart();

  report.keep("totalSeconds", (Date.now() - began) / 1000);
  report.print();
  const file = path.join(ROOT, "bench-results.json");
  report.write(file);
  console.log(
    `\nFigures written to ${path.relative(process.cwd(), file) || file}; whole run ${fmt((Date.now() - began) / 1000)} s.`,
  );
} finally {
  for (const stop of stoppers.reverse()) await stop().catch(() => {});
}

/**
 * PostgreSQL's figures count only with durable commits: fsync=off (how the tests' throwaway server
 * runs) makes a commit free and flatters every figure. Printed beside the figures, and a target.
 */
async function durability(url: string) {
  const sql = await openSql(url);
  try {
    const [fsync] = await sql.all<{ fsync: string }>("SHOW fsync");
    const [sync] = await sql.all<{ synchronous_commit: string }>("SHOW synchronous_commit");
    section("PostgreSQL durability (e2e/tools/postgres.sh start --durable)");
    report.row("durability", "fsync", fsync.fsync);
    report.row("durability", "synchronous_commit", sync.synchronous_commit);
    report.keep("postgresDurability", { fsync: fsync.fsync, synchronous_commit: sync.synchronous_commit });
    const durable = fsync.fsync === "on" && sync.synchronous_commit === "on" ? 1 : 0;
    report.target("PostgreSQL commits are durable (fsync and synchronous_commit on)", durable, ">=", 1);
  } finally {
    await sql.close();
  }
}

async function inProcessPart() {
  section("Guard decision and step-up server cost, in-process (real database, real ES256 assertions)");
  const inProcessUrl = await database("inprocess");
  prepareDatabase(inProcessUrl);
  const child = spawnSync(
    process.execPath,
    [...NODE_ARGS, "--import", "tsx", "--import", "./prisma/tools/outside-next.mjs", "e2e/perf/in-process.ts"],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        NODE_ENV: "production",
        DATABASE_URL: inProcessUrl,
        AUTH_SECRET: "bench-only-secret-never-used-anywhere-else-0123456789",
        LOG_LEVEL: "silent",
      },
      encoding: "utf8",
      maxBuffer: 16 * 2 ** 20,
    },
  );
  if (child.status !== 0) throw new Error(`in-process bench failed:\n${child.stdout}\n${child.stderr}`);
  const inProcess = JSON.parse(child.stdout.trim().split("\n").at(-1)!) as {
    guard: Record<"allowed" | "allowedSensitive" | "stepUpRequired", ReturnType<typeof percentiles>>;
    stepUp: Record<"withSigning" | "server" | "intent" | "begin" | "complete", ReturnType<typeof percentiles>>;
    session: Record<"decryptOnly" | "read", ReturnType<typeof percentiles>>;
    floors: Record<"verifyOnly" | "oneCommit", ReturnType<typeof percentiles>>;
    paymentStepUp: Record<"webauthn" | "spc", Record<"server" | "begin" | "complete", ReturnType<typeof percentiles>>>;
  };
  report.keep("inProcess", inProcess);
  const g = inProcess.guard;
  report.row(
    "guard",
    `guard: allowed, transfer.own (n=${g.allowed.n})`,
    `p50 ${ms(g.allowed.p50)}`,
    `p99 ${ms(g.allowed.p99)}  (no step-up policy: no read; the audit row goes in the operation's INSERT)`,
  );
  report.row(
    "guard",
    `guard: allowed, account.reveal (n=${g.allowedSensitive.n})`,
    `p50 ${ms(g.allowedSensitive.p50)}`,
    `p99 ${ms(g.allowedSensitive.p99)}  (passkey 2 min ago: the claims decide, no read; the audit row goes with the operation)`,
  );
  report.row(
    "guard",
    `guard: step-up required, payee.add (n=${g.stepUpRequired.n})`,
    `p50 ${ms(g.stepUpRequired.p50)}`,
    `p99 ${ms(g.stepUpRequired.p99)}  (1 read, intent + audit row)`,
  );
  const sr = inProcess.session;
  report.row(
    "session",
    `session read, whole (n=${sr.read.n})`,
    `p50 ${ms(sr.read.p50)}`,
    `p99 ${ms(sr.read.p99)}  (decrypt, claims, the session row checked)`,
  );
  report.row(
    "session",
    "  floor: the cookie's JWE decrypted alone",
    `p50 ${ms(sr.decryptOnly.p50)}`,
    `p99 ${ms(sr.decryptOnly.p99)}`,
  );
  report.target("session read p50 in-process (ms)", sr.read.p50, "<=", 1);
  const s = inProcess.stepUp;
  report.row(
    "step-up",
    `step-up, server share (n=${s.server.n})`,
    `p50 ${ms(s.server.p50)}`,
    `p95 ${ms(s.server.p95)}, p99 ${ms(s.server.p99)}`,
  );
  report.row("step-up", "  intent (guard decides, stores it)", `p50 ${ms(s.intent.p50)}`, `p95 ${ms(s.intent.p95)}`);
  report.row("step-up", "  options (bound challenge stored)", `p50 ${ms(s.begin.p50)}`, `p95 ${ms(s.begin.p95)}`);
  report.row("step-up", "  verify, raise claims, consume", `p50 ${ms(s.complete.p50)}`, `p95 ${ms(s.complete.p95)}`);
  const f = inProcess.floors;
  report.row(
    "step-up",
    "  floor: ES256 assertion verified alone",
    `p50 ${ms(f.verifyOnly.p50)}`,
    `p95 ${ms(f.verifyOnly.p95)}`,
  );
  report.row(
    "step-up",
    "  floor: one durable commit alone",
    `p50 ${ms(f.oneCommit.p50)}`,
    `p95 ${ms(f.oneCommit.p95)}  (a one-row UPDATE; a step-up and its intent commit 5 times)`,
  );
  // A payment's step-up, WebAuthn against the browser's payment dialog (SPC), up to the intent authorised.
  const pay = inProcess.paymentStepUp;
  for (const [ceremony, label] of [
    ["webauthn", "WebAuthn"],
    ["spc", "SPC (payment.get, signed payment checked)"],
  ] as const) {
    const p = pay[ceremony];
    report.row(
      "step-up",
      `payment step-up, ${label} (n=${p.server.n})`,
      `p50 ${ms(p.server.p50)}`,
      `p95 ${ms(p.server.p95)}  (options ${ms(p.begin.p50)}, verify + authorise ${ms(p.complete.p50)} p50)`,
    );
  }
  report.row(
    "step-up",
    "  SPC ÷ WebAuthn, p50",
    `× ${(pay.spc.server.p50 / pay.webauthn.server.p50).toFixed(3)}`,
    "the same payment intent, interleaved rounds",
  );
  report.target(
    "step-up server cost p95 (ms)",
    s.server.p95,
    "<=",
    5,
    "see docs/performance.md: 8 statements now; the rest is Prisma's cost per statement, the new cookie's JWE and the ES256 verify",
  );
}

async function httpParts() {
  const httpUrl = await database("http");
  prepareDatabase(httpUrl);
  const app: AppServer = await startAppServer({
    databaseUrl: httpUrl,
    env: BENCH_ENV,
    nodeArgs: NODE_ARGS,
    name: "bench",
  });
  stoppers.push(() => app.stop());
  const endpoint = endpointOf(app);
  const movers = await customers(endpoint, httpUrl);
  const alice = movers[0];

  if (PARTS.has("weight")) await weightPart(endpoint, alice, httpUrl);
  if (PARTS.has("guard")) await guardPart(endpoint, alice, httpUrl);
  if (PARTS.has("session")) await sessionPart(endpoint, alice);
  if (PARTS.has("load")) await loadPart(endpoint, movers, httpUrl, app.pid);
  await app.stop();
}

async function weightPart(endpoint: Endpoint, alice: Mover & { userId: string }, httpUrl: string) {
  section("Page weight: first-load JS as served (gzip), against a bare Next page built in this run");
  const bare = await startBare();
  stoppers.push(() => bare.stop());
  const bareWeight = await firstLoadJs(endpointOf(bare), "/");
  await bare.stop();
  const acme = await openSql(httpUrl).then(async (sql) => {
    const [row] = await sql.all<{ id: string }>(
      `SELECT "id" FROM "Payee" WHERE "userId" = ? AND "name" = 'ACME Ltd'`,
      alice.userId,
    );
    await sql.close();
    return row.id;
  });
  const pending = await callAction(
    endpoint,
    "/transfers/new",
    serverAction("createTransferAction"),
    [
      { status: "idle" },
      formData({
        fromAccountId: alice.accountIds[0],
        to: `payee:${acme}`,
        amount: "1250.00",
        memo: "bench",
        idempotencyKey: "bench-page-weight-0001",
      }),
    ],
    alice.cookie,
  );
  if (!pending.redirect?.startsWith("/step-up/"))
    throw new Error(
      `expected a step-up for $1,250.00 to ACME Ltd, got ${pending.status} ${pending.body.slice(0, 200)}`,
    );
  report.row(
    "weight",
    "bare Next 16 page /",
    `${fmt(bareWeight.gzipBytes / 1024)} kB`,
    `${bareWeight.scripts} scripts, ${fmt(bareWeight.rawBytes / 1024)} kB raw`,
  );
  const weights = [];
  for (const [label, pagePath, cookie] of [
    ["/ (signed out)", "/", ""],
    ["/dashboard", "/dashboard", alice.cookie],
    ["/transfers/new", "/transfers/new", alice.cookie],
    ["/step-up/[intentId]", pending.redirect, alice.cookie],
  ] as const) {
    const w = await firstLoadJs(endpoint, pagePath, cookie);
    weights.push({ label, ...w, ratio: ratio(w.gzipBytes, bareWeight.gzipBytes) });
    report.row(
      "weight",
      label,
      `${fmt(w.gzipBytes / 1024)} kB`,
      `× ${fmt(ratio(w.gzipBytes, bareWeight.gzipBytes))} of bare, ${w.scripts} scripts`,
    );
  }
  report.keep("pageWeight", { bare: bareWeight, pages: weights });
  report.target("step-up page first-load JS ÷ bare page", weights[3].ratio, "<=", 1.15);
}

async function guardPart(endpoint: Endpoint, alice: Mover & { userId: string }, httpUrl: string) {
  section("Guard over HTTP: the same route with and without the guard (c=1, interleaved blocks)");
  // A sensitive decision needs a session that passed a passkey step-up: done over HTTP, as the page does.
  const sql = await openSql(httpUrl);
  const key = await addSoftPasskey(sql, alice.userId);
  await sql.close();
  const stepUps = [];
  // A step-up rotates the session and ends the old one (ASVS 5 V7.2.4), so each starts from a new password sign-in.
  for (let i = 0; i < 5; i++) {
    const cookie = await signInCookie(endpoint, CUSTOMERS[0].email, CUSTOMERS[0].password);
    stepUps.push(await revealWithStepUp(endpoint, cookie, alice.accountIds[0], key));
  }
  const stepUpCookie = stepUps.at(-1)!.cookie;
  const begin = percentiles(stepUps.slice(1).map((s) => s.beginMs));
  const complete = percentiles(stepUps.slice(1).map((s) => s.completeMs));
  report.row(
    "step-up",
    "step-up over HTTP: options round trip",
    `p50 ${ms(begin.p50)}`,
    "beginStepUpAction, n=4 after a warm-up",
  );
  report.row(
    "step-up",
    "step-up over HTTP: verify round trip",
    `p50 ${ms(complete.p50)}`,
    "completeStepUpAction (claims raised, new cookie)",
  );

  const results: Record<string, { on: ReturnType<typeof percentiles>; off: ReturnType<typeof percentiles> }> = {};
  for (const [policy, cookie] of [
    ["transfer.own", alice.cookie],
    ["account.reveal", stepUpCookie],
  ] as const) {
    const samples = { on: [] as number[], off: [] as number[] };
    const ROUNDS = 16;
    const PER_BLOCK = 100;
    for (let round = 0; round < ROUNDS; round++) {
      for (const mode of round % 2 === 0 ? (["off", "on"] as const) : (["on", "off"] as const)) {
        const send = getOk(endpoint, `/api/bench/guard?guard=${mode}&policy=${policy}`, cookie);
        for (let i = 0; i < PER_BLOCK; i++) {
          const t0 = performance.now();
          if (!(await send())) throw new Error(`/api/bench/guard?guard=${mode}&policy=${policy} failed`);
          if (round > 0) samples[mode].push(performance.now() - t0); // round 0 warms up
        }
      }
    }
    const on = percentiles(samples.on);
    const off = percentiles(samples.off);
    results[policy] = { on, off };
    report.row("guard", `${policy}: unguarded (n=${off.n})`, `p50 ${ms(off.p50)}`, `p99 ${ms(off.p99)}`);
    report.row("guard", `${policy}: guarded (n=${on.n})`, `p50 ${ms(on.p50)}`, `p99 ${ms(on.p99)}`);
    report.row(
      "guard",
      `${policy}: guarded ÷ unguarded`,
      `p50 × ${fmt(ratio(on.p50, off.p50))}`,
      `p99 × ${fmt(ratio(on.p99, off.p99))}`,
    );
    report.target(`guarded ÷ unguarded p50 latency (${policy})`, ratio(on.p50, off.p50), "<=", 1.05);
  }
  report.keep("guardHttp", { stepUpOverHttp: { begin, complete }, ...results });
}

/** A signed-in page with the session read and the same page with it stubbed out (app/bench/session/page.bench.tsx). */
async function sessionPart(endpoint: Endpoint, alice: Mover & { userId: string }) {
  section("Session read over HTTP: the same signed-in page with and without it (c=1, interleaved blocks)");
  const samples = { on: [] as number[], off: [] as number[], authjs: [] as number[] };
  const paths = {
    on: "/bench/session?read=on",
    off: `/bench/session?read=off&user=${alice.userId}`,
    authjs: "/bench/session?read=authjs",
  };
  for (let round = 0; round < 16; round++) {
    const order = ["off", "on", "authjs"] as const;
    for (const mode of round % 2 === 0 ? order : [...order].reverse()) {
      const send = getOk(endpoint, paths[mode], alice.cookie); // the same cookie both ways: the same request size
      for (let i = 0; i < 100; i++) {
        const t0 = performance.now();
        if (!(await send())) throw new Error(`${paths[mode]} failed`);
        if (round > 0) samples[mode].push(performance.now() - t0); // round 0 warms up
      }
    }
  }
  const on = percentiles(samples.on);
  const off = percentiles(samples.off);
  report.row("session", `page, session read stubbed out (n=${off.n})`, `p50 ${ms(off.p50)}`, `p99 ${ms(off.p99)}`);
  const authjs = percentiles(samples.authjs);
  report.row("session", `page, session read (n=${on.n})`, `p50 ${ms(on.p50)}`, `p99 ${ms(on.p99)}`);
  report.row(
    "session",
    `page, Auth.js auth() round as before (n=${authjs.n})`,
    `p50 ${ms(authjs.p50)}`,
    `p99 ${ms(authjs.p99)}, × ${fmt(ratio(authjs.p50, off.p50))} of stubbed`,
  );
  report.row("session", "page: with ÷ without the session read", `p50 × ${fmt(ratio(on.p50, off.p50))}`);
  report.target("signed-in page ÷ same page, session read stubbed (p50)", ratio(on.p50, off.p50), "<=", 1.15);
  report.keep("sessionHttp", { on, off, authjs });
}

/** Resident memory of a process and its descendants, in MiB (Linux /proc). */
function rssMiB(pid: number): number {
  const children = (p: number): number[] => {
    try {
      return readFileSync(`/proc/${p}/task/${p}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);
    } catch {
      return [];
    }
  };
  const rssOf = (p: number) => {
    try {
      return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${p}/status`, "utf8"))?.[1] ?? 0) / 1024;
    } catch {
      return 0;
    }
  };
  const all = [pid];
  for (let i = 0; i < all.length; i++) all.push(...children(all[i]));
  return all.reduce((sum, p) => sum + rssOf(p), 0);
}

async function loadPart(
  endpoint: Endpoint,
  movers: (Mover & { userId: string })[],
  httpUrl: string,
  serverPid: number,
) {
  section(`Throughput: transfers (server action, as the form sends it) vs /api/health, ${SECONDS} s each`);
  const sql = await openSql(httpUrl);
  const [{ n: transfersBefore }] = await sql.all<{ n: bigint }>(`SELECT COUNT(*) AS n FROM "Transfer"`);
  const send = await transferSender(endpoint, movers);
  const throughput: { concurrency: number; health: LoadResult; transfers: LoadResult; ratio: number }[] = [];
  let made = 0;
  for (const concurrency of [1, 8, 32]) {
    const health = await closedLoop(concurrency, SECONDS, getOk(endpoint, "/api/health"));
    const transfers = await closedLoop(concurrency, SECONDS, send);
    made += transfers.requests - transfers.failed;
    throughput.push({ concurrency, health, transfers, ratio: ratio(transfers.rps, health.rps) });
    loadRow(`/api/health, c=${concurrency}`, health);
    loadRow(`transfers, c=${concurrency}`, transfers);
    report.row("load", `transfers ÷ no-op, c=${concurrency}`, `× ${fmt(ratio(transfers.rps, health.rps))}`);
  }
  report.keep("throughput", throughput);

  // The web flow at c=1: a transfer from the form until its receipt has arrived (Next's action redirect
  // renders the receipt into the same response), against a plain GET of a receipt page.
  const [{ id: receiptId }] = await sql.all<{ id: string }>(
    `SELECT "id" FROM "Transfer" WHERE "userId" = ? ORDER BY "createdAt" DESC LIMIT 1`,
    movers[0].userId,
  );
  const receipt = await closedLoop(1, SECONDS, getOk(endpoint, `/transfers/${receiptId}`, movers[0].cookie));
  loadRow("receipt page GET, c=1", receipt);
  const webRatio = ratio(throughput[0].transfers.p50, receipt.p50);
  report.row("load", "transfer + receipt ÷ receipt GET, p50 c=1", `× ${fmt(webRatio)}`);
  report.target("web transfer until receipt ÷ plain receipt GET (p50, c=1)", webRatio, "<=", 1.5);

  // The bearer API at c=32: own-account transfers against /api/health in the same run.
  const key = await addSoftPasskey(sql, movers[0].userId);
  const accessToken = await apiAccessToken(
    endpoint,
    () => signInCookie(endpoint, CUSTOMERS[0].email, CUSTOMERS[0].password),
    movers[0].accountIds[0],
    key,
  );
  const apiHealth = await closedLoop(32, SECONDS, getOk(endpoint, "/api/health"));
  const api = await closedLoop(32, SECONDS, apiTransferSender(endpoint, [{ ...movers[0], accessToken }]));
  made += api.requests - api.failed;
  loadRow("/api/health, c=32 (API round)", apiHealth);
  loadRow("POST /api/v1/transfers, c=32", api);
  report.row("load", "API transfers ÷ no-op, c=32", `× ${fmt(ratio(api.rps, apiHealth.rps))}`);
  report.target("API transfers/s ÷ /api/health req/s at c=32", ratio(api.rps, apiHealth.rps), ">=", 0.5);
  report.keep("api", { health: apiHealth, transfers: api, receipt, webRatio });
  const rss = rssMiB(serverPid);
  report.row("load", "server RSS after the load", `${fmt(rss)} MiB`, "next start and its children");
  report.keep("serverRssMiB", rss);
  report.target(
    "transfers/s ÷ no-op req/s at c=32",
    throughput[2].ratio,
    ">=",
    0.5,
    "see README, Performance: a transfer is a server action that also renders the receipt page (React Server Components)",
  );

  const ledger = await checkLedger(sql);
  const [{ n: transfersAfter }] = await sql.all<{ n: bigint }>(`SELECT COUNT(*) AS n FROM "Transfer"`);
  const [{ n: duplicates }] = await sql.all<{ n: bigint }>(
    `SELECT COUNT(*) AS n FROM (SELECT "userId", "idempotencyKey" FROM "Transfer" GROUP BY "userId", "idempotencyKey" HAVING COUNT(*) > 1) d`,
  );
  const [{ n: negatives }] = await sql.all<{ n: bigint }>(
    `SELECT COUNT(*) AS n FROM "Account" WHERE "userId" IS NOT NULL AND "balance" < 0`,
  );
  await sql.close();
  const written = Number(transfersAfter - transfersBefore);
  report.keep("ledger", {
    ...ledger,
    answered: made,
    written,
    duplicates: Number(duplicates),
    negatives: Number(negatives),
  });
  report.row("ledger", "transfers answered / rows written", `${made} / ${written}`, made === written ? "" : "MISMATCH");
  report.row(
    "ledger",
    "books balance (entries, balances, pairs)",
    ledger.violations.length === 0 ? "yes" : "NO",
    ledger.violations.join("; ").slice(0, 300),
  );
  report.row("ledger", "negative customer balances", String(negatives));
  report.row("ledger", "duplicate (user, idempotency key)", String(duplicates));
}

async function scalePart() {
  section("Scaling: one server on 1,000 ledger entries and one on 100,000, measured in alternating rounds (c=1)");
  type Kind = "transfers" | "dashboard" | "statement" | "activity";
  const KINDS: Kind[] = ["transfers", "dashboard", "statement", "activity"];
  const sizes = [1_000, 100_000] as const;
  const setups = [];
  for (const target of sizes) {
    const url = await database(`scale_${target}`);
    prepareDatabase(url);
    const sql = await openSql(url);
    const server = await startAppServer({
      databaseUrl: url,
      env: BENCH_ENV,
      nodeArgs: NODE_ARGS,
      name: `scale ${target}`,
    });
    stoppers.push(() => server.stop());
    const endpoint = endpointOf(server);
    const movers = await customers(endpoint, url);
    const owner = movers[0];
    const t0 = Date.now();
    const entries = await growLedger(sql, { userId: owner.userId, accounts: owner.accountIds }, target);
    report.row("scale", `${entries.toLocaleString("en")} entries`, `seeded in ${fmt((Date.now() - t0) / 1000)} s`);
    const send: Record<Kind, () => Promise<boolean>> = {
      transfers: await transferSender(endpoint, movers),
      dashboard: getOk(endpoint, "/dashboard", owner.cookie),
      statement: getOk(endpoint, `/accounts/${owner.accountIds[0]}`, owner.cookie),
      activity: getOk(endpoint, "/activity", owner.cookie),
    };
    setups.push({ target, entries, sql, server, owner, send });
  }
  // Both servers get the same warm-up and the same rounds, in alternating order, so JIT, caches and
  // the machine's noise weigh on both sizes alike; each figure is the median of the rounds' p50s.
  for (const setup of setups) for (const kind of KINDS) await closedLoop(1, 1, setup.send[kind]);
  const rounds: Record<number, Record<Kind, LoadResult[]>> = Object.fromEntries(
    sizes.map((t) => [t, { transfers: [], dashboard: [], statement: [], activity: [] }]),
  );
  for (let round = 0; round < 3; round++) {
    for (const kind of KINDS) {
      for (const setup of round % 2 === 0 ? setups : [...setups].reverse())
        rounds[setup.target][kind].push(await closedLoop(1, 2, setup.send[kind]));
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const p50 = (target: number, kind: Kind) => median(rounds[target][kind].map((r) => r.p50));
  const labels: Record<Kind, string> = {
    transfers: "transfer (server action + receipt)",
    dashboard: "GET /dashboard",
    statement: "GET /accounts/[id] (statement)",
    activity: "GET /activity",
  };
  const growth = (kind: Kind) => ratio(p50(100_000, kind), p50(1_000, kind));
  for (const kind of KINDS) {
    report.row(
      "scale",
      labels[kind],
      `× ${fmt(growth(kind))}`,
      `p50 ${ms(p50(1_000, kind))} at 1k, ${ms(p50(100_000, kind))} at 100k`,
    );
  }
  const big = setups[1];
  const plans = await explainHotQueries(big.sql, big.owner.userId, big.owner.accountIds[0]);
  report.keep("scaling", { entries: setups.map((s) => s.entries), rounds, plans });
  const worst = Math.max(...KINDS.map(growth));
  if (worst > 2 || plans.some((p) => !p.indexed)) {
    console.log("  Query plans (growth above 2×, or a plan without an index):");
    for (const p of plans) console.log(`    ${p.indexed ? "indexed" : "FULL SCAN"}  ${p.query}\n      ${p.plan}`);
  }
  report.row(
    "scale",
    "hot queries use an index",
    plans.every((p) => p.indexed)
      ? `${plans.length}/${plans.length}`
      : plans
          .filter((p) => !p.indexed)
          .map((p) => p.query)
          .join("; "),
  );
  report.target("p50 latency growth 1k → 100k entries (worst page)", worst, "<=", 2);
  for (const setup of setups) {
    await setup.sql.close();
    await setup.server.stop();
  }
}

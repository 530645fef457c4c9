/**
 * Production servers under the test's own control, for the reliability specs: a fresh database,
 * then `next start` as a child process whose pid is the server itself (so SIGKILL really kills the
 * process holding the connections), stopped when the test ends, pass or fail.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import path from "node:path";
import { freePort } from "./free-port";

const ROOT = path.resolve(import.meta.dirname, "../..");
const NEXT_BIN = path.join(ROOT, "node_modules/next/dist/bin/next");

/** The same secret and settings as e2e/playwright.config.ts's server(): never used outside tests. */
const SERVER_ENV: Partial<NodeJS.ProcessEnv> = {
  NODE_ENV: "production" as const,
  NEXT_TELEMETRY_DISABLED: "1",
  AUTH_SECRET: "e2e-only-secret-do-not-use-anywhere-else-0123456789",
  AUTH_TRUST_HOST: "true",
  WEBAUTHN_RP_ID: "localhost",
  LOG_LEVEL: "warn", // problems only: every audited decision at "info" would swamp the output kept for failures
};

/**
 * Migrations and the demo seed on an empty database, through e2e/support/prepare-db.ts in its own
 * process (lib/db.ts reads DATABASE_URL once, at import).
 */
export function prepareDatabase(databaseUrl: string): void {
  const result = spawnSync(
    process.execPath,
    ["--import", "tsx", "--import", "./prisma/tools/outside-next.mjs", "e2e/support/prepare-db.ts"],
    { cwd: ROOT, env: { ...process.env, ...SERVER_ENV, DATABASE_URL: databaseUrl }, encoding: "utf8" },
  );
  if (result.status !== 0) throw new Error(`prepare-db failed for ${databaseUrl}:\n${result.stdout}\n${result.stderr}`);
}

export type AppServerOptions = {
  /** Default: a free port the OS hands out (see free-port.ts). A restart passes the old server's port. */
  port?: number;
  databaseUrl: string;
  /**
   * The browser-facing origin (WEBAUTHN_ORIGINS and, through its default, APP_ORIGINS). Default
   * http://localhost:<port>. null: leave WEBAUTHN_ORIGINS unset, as a fresh .env does.
   */
  origin?: string | null;
  /** What `next start` is given as --hostname. Default 127.0.0.1. */
  hostname?: string;
  /** A label for logs, e.g. "A". */
  name?: string;
  /** Extra environment for the server (the bench sets its own LOG_LEVEL). */
  env?: Partial<NodeJS.ProcessEnv>;
  /** Extra node flags, e.g. the bench's ["--cpu-prof", …] (not allowed in NODE_OPTIONS). */
  nodeArgs?: string[];
};

export type AppServer = {
  name: string;
  port: number;
  /** Where the test talks to the server directly: http://127.0.0.1:<port>. */
  url: string;
  /** The origin the app trusts for actions and WebAuthn. */
  origin: string;
  pid: number;
  /** The server's stdout and stderr so far, for failure messages. */
  output(): string;
  /** SIGTERM, then SIGKILL if it hasn't exited within 5 s. Safe to call twice. */
  stop(): Promise<void>;
  /** SIGKILL, as a crash or an OOM kill would: no shutdown hooks, open transactions cut off. */
  kill(): Promise<void>;
};

/** Every server started by this process, so none outlives it even if a test's teardown is skipped. */
const running = new Set<ChildProcess>();
process.once("exit", () => {
  for (const child of running) child.kill("SIGKILL");
});

export async function startAppServer(options: AppServerOptions): Promise<AppServer> {
  // A free port can be taken by another process before `next start` binds it: try another then.
  for (let attempt = 1; ; attempt++) {
    const port = options.port ?? (await freePort());
    try {
      return await startAppServerOn(port, options);
    } catch (err) {
      const lostThePort = err instanceof Error && err.message.includes("EADDRINUSE");
      if (!lostThePort || options.port !== undefined || attempt >= 3) throw err;
    }
  }
}

async function startAppServerOn(port: number, options: AppServerOptions): Promise<AppServer> {
  const { databaseUrl } = options;
  const origin = options.origin ?? `http://localhost:${port}`;
  const name = options.name ?? `:${port}`;
  const originEnv = options.origin === null ? {} : { WEBAUTHN_ORIGINS: origin };
  const baseEnv = { ...process.env };
  if (options.origin === null) delete baseEnv.WEBAUTHN_ORIGINS;
  // `next start` serves in this very process (no worker), so child.pid is the server.
  const child = spawn(
    process.execPath,
    [
      ...(options.nodeArgs ?? []),
      NEXT_BIN,
      "start",
      "--hostname",
      options.hostname ?? "127.0.0.1",
      "--port",
      String(port),
    ],
    {
      cwd: ROOT,
      env: { ...baseEnv, ...SERVER_ENV, DATABASE_URL: databaseUrl, ...originEnv, ...options.env },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  running.add(child);
  let log = "";
  child.stdout!.on("data", (chunk: Buffer) => (log += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (log += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  void exited.then(() => running.delete(child));

  const end = async (signal: NodeJS.Signals) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill(signal);
    const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
    await exited;
    clearTimeout(timer);
  };
  const server: AppServer = {
    name,
    port,
    url: `http://127.0.0.1:${port}`,
    origin,
    pid: child.pid!,
    output: () => log,
    stop: () => end("SIGTERM"),
    kill: () => end("SIGKILL"),
  };
  try {
    await waitUntilHealthy(server, () => child.exitCode !== null || child.signalCode !== null);
  } catch (err) {
    await server.kill();
    throw err;
  }
  return server;
}

/** Polls /api/health (which queries the database) until it answers 200, the process dies, or 60 s pass. */
async function waitUntilHealthy(server: AppServer, hasExited: () => boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (hasExited()) throw new Error(`server ${server.name} exited during start-up:\n${server.output()}`);
    const status = await fetch(`${server.url}/api/health`).then(
      (response) => response.status,
      () => 0, // not listening yet
    );
    if (status === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`server ${server.name} was not healthy within ${timeoutMs} ms:\n${server.output()}`);
}

/**
 * The builds `npm run bench` measures: Vault's bench build (.next-bench, with the `*.bench.ts` twin
 * routes, next.config.js), made only when a source is newer than it; and a bare Next app (one page,
 * nothing else) built in the same run as the page-weight baseline.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";

export const ROOT = path.resolve(import.meta.dirname, "../..");
export const NEXT_BIN = path.join(ROOT, "node_modules/next/dist/bin/next");
export const BENCH_DIST = ".next-bench";
/** Inside the repository (gitignored), so it resolves Vault's node_modules and the same Next and React. */
export const BARE_APP = path.join(ROOT, "e2e/.tmp/bare-next");

const SOURCES = [
  "app",
  "lib",
  "proxy.ts",
  "next.config.js",
  "package-lock.json",
  "postcss.config.mjs",
  "tsconfig.json",
];

function newestMtime(target: string): number {
  const full = path.join(ROOT, target);
  if (!existsSync(full)) return 0;
  const stat = statSync(full);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(full).map((name) => newestMtime(path.join(target, name))));
}

function nextBuild(cwd: string, args: string[], env: Record<string, string>) {
  const started = Date.now();
  const result = spawnSync(process.execPath, [NEXT_BIN, "build", ...args], {
    cwd,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", ...env },
    encoding: "utf8",
  });
  if (result.status !== 0) throw new Error(`next build failed in ${cwd}:\n${result.stdout}\n${result.stderr}`);
  return { seconds: (Date.now() - started) / 1000, output: result.stdout };
}

/** Builds .next-bench unless it is newer than every source. Returns how long it took (0 when reused). */
export function ensureBenchBuild(): number {
  const buildId = path.join(ROOT, BENCH_DIST, "BUILD_ID");
  if (existsSync(buildId) && statSync(buildId).mtimeMs > Math.max(...SOURCES.map(newestMtime))) {
    console.log(`  reusing ${BENCH_DIST} (newer than every source)`);
    return 0;
  }
  console.log(`  building ${BENCH_DIST} (next build with VAULT_BENCH_BUILD=1) …`);
  return nextBuild(ROOT, [], { VAULT_BENCH_BUILD: "1" }).seconds;
}

/** A bare Next 16 app: the root layout and one static page, no CSS, no client code of its own. */
export function buildBareApp(): number {
  rmSync(BARE_APP, { recursive: true, force: true });
  mkdirSync(path.join(BARE_APP, "app"), { recursive: true });
  writeFileSync(
    path.join(BARE_APP, "package.json"),
    JSON.stringify({ name: "bare-next", private: true, type: "module" }) + "\n",
  );
  writeFileSync(path.join(BARE_APP, "next.config.js"), "export default {};\n");
  // Its own (empty) instrumentation hook: without one, Next takes Vault's root instrumentation.ts (the
  // bare app sits inside Vault's tree, which is its build root), whose env check then stops it starting.
  writeFileSync(path.join(BARE_APP, "instrumentation.js"), "export function register() {}\n");
  writeFileSync(
    path.join(BARE_APP, "app/layout.js"),
    'export default function RootLayout({ children }) {\n  return <html lang="en"><body>{children}</body></html>;\n}\n',
  );
  writeFileSync(
    path.join(BARE_APP, "app/page.js"),
    "export default function Page() {\n  return <main>Hello</main>;\n}\n",
  );
  console.log("  building the bare Next app (baseline for page weight) …");
  return nextBuild(BARE_APP, [], {}).seconds;
}

#!/usr/bin/env node
// `npm test` and `npm run validate`: every stage runs, even after another one failed, and the exit
// code is non-zero if any failed. Independent stages run side by side (each one's output is printed
// as a block when it ends); a stage whose prerequisite failed is reported as skipped, not run.
//   node e2e/tools/run-tests.mjs validate   typecheck, lint, prettier --check, import cycles, unit + integration tests on SQLite
//   node e2e/tools/run-tests.mjs all        the same (and on PostgreSQL if TEST_DATABASE_URL is set), then one
//                                           `next build` for the e2e suite, the reliability specs and the API demo
// TEST_JOBS (default 3) caps how many stages run at once; the stages themselves also use both cores.
import { spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "../..");
const mode = process.argv[2] ?? "all";
if (!["validate", "all"].includes(mode)) {
  console.error("usage: run-tests.mjs validate|all");
  process.exit(2);
}
const env = {
  ...process.env,
  NEXT_TELEMETRY_DISABLED: "1",
  PATH: `${path.join(root, "node_modules/.bin")}${path.delimiter}${process.env.PATH}`,
};
const node = (...args) => [process.execPath, ...args];
const postgres = process.env.TEST_DATABASE_URL;

/**
 * after: stages that must pass first (otherwise this one is skipped); waitFor: stages that must
 * merely have ended; exclusive: runs with nothing else beside it; diagnose: run after a failure, to
 * collect evidence (its output is kept, its result doesn't change the stage's).
 * @type {{ name: string, cmd: string[][], after?: string[], waitFor?: string[], exclusive?: boolean, diagnose?: string[], env?: Record<string,string> }[]}
 */
const stages = [
  {
    name: "typecheck",
    cmd: [
      ["next", "typegen"],
      ["tsc", "--noEmit"],
    ],
  },
  // Both cache what they checked (in node_modules/.cache), so a second run only looks at changed files.
  {
    name: "lint",
    cmd: [["eslint", "--max-warnings=0", "--cache", "--cache-location", "node_modules/.cache/eslint/", "."]],
  },
  { name: "format", cmd: [["prettier", "--check", "--cache", "--log-level=warn", "."]] },
  // No import cycles in lib/ or app/ (type-only imports aside: package.json "madge"); a new one fails.
  { name: "cycles", cmd: [["npm", "run", "-s", "check:cycles"]] },
  { name: "unit (SQLite)", cmd: [node("e2e/tools/run-unit.mjs", "--sqlite-only")] },
];
if (mode === "all") {
  if (postgres)
    stages.push({
      name: "unit (PostgreSQL)",
      cmd: [node("e2e/tools/run-unit.mjs", "--postgres-only")],
      waitFor: ["unit (SQLite)"], // one unit pass at a time; a SQLite failure doesn't skip this one
    });
  stages.push(
    // After typecheck, pass or fail: `next typegen` and `next build` both write .next/.
    { name: "build", cmd: [["next", "build"]], waitFor: ["typecheck"] },
    // Browsers and servers under load: alone, after everything above, so their timings stay honest.
    // No traces on the first run (recording them cost a fifth of the stage); a failed test runs once
    // more with one, in test-results/ (`npx playwright show-trace`). It still counts as failed.
    {
      name: "e2e",
      cmd: [["playwright", "test", "-c", "e2e"]],
      diagnose: ["playwright", "test", "-c", "e2e", "--last-failed", "--no-deps", "--trace", "on"],
      after: ["build"],
      exclusive: true,
    },
    { name: "reliability", cmd: [["playwright", "test", "-c", "e2e/reliability"]], after: ["build"], exclusive: true },
    { name: "api demo", cmd: [["tsx", "e2e/clients/api-demo.ts"]], after: ["build"], exclusive: true },
  );
}

const jobs = Math.max(1, Number(process.env.TEST_JOBS ?? 3));
const logDir = path.join(root, "e2e/.tmp/logs");
mkdirSync(logDir, { recursive: true });
/** @type {Map<string, { status: "ok" | "FAILED" | "skipped", seconds: number, output?: string }>} */
const results = new Map();

/**
 * A failed stage's output in at most a dozen lines: for Playwright, each failed test's title with
 * its error's first lines; otherwise the last lines, where test runners and compilers summarise.
 * @param {string} output
 */
function failureDigest(output, maxLines = 12) {
  const lines = output.split("\n").map((l) => l.trimEnd());
  const digest = [];
  for (let i = 0; i < lines.length && digest.length < maxLines; i++) {
    if (!/^\s+\d+\) \[[^\]]+\] › /.test(lines[i])) continue;
    digest.push(lines[i].trim());
    const error = lines.slice(i + 1, i + 12).findIndex((l) => /Error|Expected|Received|Timeout/.test(l));
    if (error >= 0)
      digest.push(
        ...lines
          .slice(i + 1 + error, i + 8 + error)
          .filter((l) => l.trim())
          .slice(0, 4)
          .map((l) => `    ${l.trim()}`),
      );
  }
  if (digest.length) return digest.slice(0, maxLines).join("\n");
  return lines
    .filter((l) => l.trim())
    .slice(-8)
    .join("\n");
}
const running = new Set();
const t0 = performance.now();
const clock = () => `${((performance.now() - t0) / 1000).toFixed(0).padStart(4)} s`;

function runCommands(stage) {
  return new Promise((resolve) => {
    let output = "";
    const next = (i) => {
      if (i === stage.cmd.length) return resolve({ code: 0, output });
      const [bin, ...args] = stage.cmd[i];
      output += `$ ${[bin, ...args].join(" ")}\n`;
      const child = spawn(bin, args, { cwd: root, env: { ...env, ...stage.env }, stdio: ["ignore", "pipe", "pipe"] });
      child.stdout.on("data", (d) => (output += d));
      child.stderr.on("data", (d) => (output += d));
      child.on("error", (err) => resolve({ code: 1, output: `${output}\n${err.message}\n` }));
      child.on("close", (code, signal) =>
        code === 0 ? next(i + 1) : resolve({ code: code ?? 1, output: `${output}\n(exit ${code ?? signal})\n` }),
      );
    };
    next(0);
  });
}

async function start(stage) {
  running.add(stage.name);
  console.log(`${clock()}  start  ${stage.name}`);
  const began = performance.now();
  let { code, output } = await runCommands(stage);
  if (code !== 0 && stage.diagnose) {
    const again = await runCommands({ ...stage, cmd: [stage.diagnose] });
    output += `\n── the failed tests again, to record traces (this run doesn't change the result) ──\n${again.output}`;
  }
  const seconds = (performance.now() - began) / 1000;
  const status = code === 0 ? "ok" : "FAILED";
  const logFile = path.join(logDir, `${stage.name.replace(/\W+/g, "-")}.log`);
  writeFileSync(logFile, output);
  console.log(
    `\n${"─".repeat(100)}\n${clock()}  ${status}  ${stage.name} (${seconds.toFixed(1)} s)\n${"─".repeat(100)}`,
  );
  process.stdout.write(output.endsWith("\n") ? output : `${output}\n`);
  results.set(stage.name, { status, seconds, output });
  running.delete(stage.name);
}

// A small scheduler: start every stage whose prerequisites are done, up to `jobs` at once; an
// exclusive stage waits for an empty field and keeps it to itself.
await new Promise((resolve) => {
  const pending = [...stages];
  const tick = () => {
    for (const stage of [...pending]) {
      const deps = stage.after ?? [];
      if ([...deps, ...(stage.waitFor ?? [])].some((d) => !results.has(d))) continue;
      if (deps.some((d) => results.get(d).status !== "ok")) {
        pending.splice(pending.indexOf(stage), 1);
        results.set(stage.name, { status: "skipped", seconds: 0 });
        console.log(
          `${clock()}  skip   ${stage.name} (${deps.filter((d) => results.get(d).status !== "ok").join(", ")} did not pass)`,
        );
        continue;
      }
      const exclusiveRunning = [...running].some((n) => stages.find((s) => s.name === n).exclusive);
      if (exclusiveRunning || running.size >= jobs || (stage.exclusive && running.size > 0)) continue;
      pending.splice(pending.indexOf(stage), 1);
      void start(stage).then(tick);
    }
    if (pending.length === 0 && running.size === 0) resolve();
  };
  tick();
});

const total = (performance.now() - t0) / 1000;
console.log(`\n${"═".repeat(60)}\n${mode === "all" ? "npm test" : "npm run validate"}: ${total.toFixed(1)} s`);
for (const { name } of stages) {
  const r = results.get(name);
  console.log(
    `  ${name.padEnd(20)} ${r.status.padEnd(8)} ${r.status === "skipped" ? "" : `${r.seconds.toFixed(1)} s`}`,
  );
}
if (mode === "all" && !postgres)
  console.log("  (PostgreSQL tests skipped: set TEST_DATABASE_URL=postgresql://… to run them)");
const failed = [...results].filter(([, r]) => r.status !== "ok").map(([n]) => n);
// What failed, in a few lines at the very end: a CI page that shows only the tail still names it.
for (const name of failed)
  if (results.get(name).output) console.log(`\n${name}:\n${failureDigest(results.get(name).output)}`);
console.log(failed.length ? `FAILED: ${failed.join(", ")} (logs in e2e/.tmp/logs/)` : "all passed");
process.exit(failed.length ? 1 : 0);

#!/usr/bin/env node
// `npm run test:unit`: every *.test.ts under lib/, prisma/ and e2e/support/ (the test helpers' own tests), with node:test (Node 20's --test takes
// no globs, hence this file). tsx compiles TypeScript and resolves the @/ alias; outside-next.mjs lets
// lib/ load outside Next. The database tests run on a fresh SQLite file each; when TEST_DATABASE_URL
// names a PostgreSQL server they run a second time there, each file in a database of its own.
// Files run UNIT_CONCURRENCY at a time on SQLite (default 4: a file spends much of its time starting
// up and waiting for its database), and UNIT_PG_CONCURRENCY (default 1) on PostgreSQL. Files that compare
// timings (*timing.test.ts) run afterwards, alone, so the other files' work isn't measured as theirs.
//   node e2e/tools/run-unit.mjs [--sqlite-only | --postgres-only] [filter …]
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "../..");
const skip = new Set(["node_modules", "generated", ".next"]);
function find(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (skip.has(entry.name)) return [];
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return find(full);
    return entry.name.endsWith(".test.ts") ? [path.relative(root, full)] : [];
  });
}
const flags = new Set(process.argv.slice(2).filter((a) => a.startsWith("--")));
const filters = process.argv.slice(2).filter((a) => !a.startsWith("--"));
const concurrency = Math.max(1, Number(process.env.UNIT_CONCURRENCY ?? 4));
// One file at a time on PostgreSQL: the server is shared by every file, and its 240-way transfer race
// ran out of Prisma's transaction wait when other files' work shared it on a loaded machine.
const postgresConcurrency = Math.max(1, Number(process.env.UNIT_PG_CONCURRENCY ?? 1));
const files = [
  ...find(path.join(root, "lib")),
  ...find(path.join(root, "prisma")),
  ...find(path.join(root, "e2e/support")),
]
  .sort()
  .filter((f) => !filters.length || filters.some((o) => f.includes(o)));
const usesDatabase = (file) => /\b(createTestDatabase|withTestDb)\(/.test(readFileSync(path.join(root, file), "utf8"));

const timingSensitive = (file) => /timing\.test\.ts$/.test(file);

/** The files concurrently, then the timing-sensitive ones alone; both run even if the first fails. */
function run(label, selected, extraEnv, filesAtOnce = concurrency) {
  const together = runFiles(
    label,
    selected.filter((f) => !timingSensitive(f)),
    extraEnv,
    filesAtOnce,
  );
  const alone = runFiles(`${label}, timing-sensitive, alone`, selected.filter(timingSensitive), extraEnv, 1);
  return together || alone;
}

function runFiles(label, selected, extraEnv, concurrency) {
  if (selected.length === 0) return 0;
  console.log(`\n# ${label}: ${selected.length} file(s)`);
  const result = spawnSync(
    process.execPath,
    [
      "--import",
      "tsx",
      "--import",
      "./prisma/tools/outside-next.mjs",
      "--test",
      `--test-concurrency=${concurrency}`,
      "--test-reporter=spec",
      ...selected,
    ],
    {
      cwd: root,
      stdio: "inherit",
      env: {
        ...process.env,
        NODE_ENV: "test",
        // The tests' own output stays readable; lib/log.test.ts checks the log lines themselves.
        LOG_LEVEL: process.env.LOG_LEVEL || "silent",
        AUTH_SECRET: process.env.AUTH_SECRET || randomBytes(33).toString("base64url"),
        ...extraEnv,
      },
    },
  );
  return result.status ?? 1;
}

const postgres = process.env.TEST_DATABASE_URL;
// Both passes run even when the first fails, so one failure doesn't hide the other's.
const sqlite = flags.has("--postgres-only")
  ? 0
  : run("unit and integration tests (SQLite)", files, { TEST_DATABASE_URL: "" });
let pg = 0;
if (flags.has("--sqlite-only")) pg = 0;
else if (postgres)
  pg = run(
    "integration tests (PostgreSQL)",
    files.filter(usesDatabase),
    { TEST_DATABASE_URL: postgres },
    postgresConcurrency,
  );
else console.log("\n# PostgreSQL integration tests skipped: set TEST_DATABASE_URL=postgresql://… to run them");
process.exit(sqlite || pg);

#!/usr/bin/env node
// Runs every *.test.ts under lib/ and prisma/ with node:test (Node 20's --test takes no globs).
// tsx compiles TypeScript and resolves the @/ alias; outside-next.mjs lets lib/ load outside Next.
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readdirSync } from "node:fs";
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
const files = [...find(path.join(root, "lib")), ...find(path.join(root, "prisma"))].sort();
const only = process.argv.slice(2);
const selected = only.length ? files.filter((f) => only.some((o) => f.includes(o))) : files;
const run = spawnSync(
  process.execPath,
  ["--import", "tsx", "--import", "./prisma/tools/outside-next.mjs", "--test", "--test-reporter=spec", ...selected],
  { cwd: root, stdio: "inherit", env: { ...process.env, NODE_ENV: "test", AUTH_SECRET: process.env.AUTH_SECRET || randomBytes(33).toString("base64url") } },
);
process.exit(run.status ?? 1);

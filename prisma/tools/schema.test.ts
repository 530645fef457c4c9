import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";

const ROOT = path.resolve(import.meta.dirname, "../..");
const TOOL = path.join(ROOT, "prisma/tools/schema.ts");
const runCheck = (root: string) =>
  spawnSync(process.execPath, ["--import", "tsx", TOOL, "check", "--root", root], { cwd: ROOT, encoding: "utf8" });

describe("npm run db:check (migration drift)", () => {
  const copy = mkdtempSync(path.join(tmpdir(), "vault-drift-"));
  after(() => rmSync(copy, { recursive: true, force: true }));

  it("passes on the committed schema and migrations, for both providers", () => {
    const run = runCheck(ROOT);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /\[sqlite\] OK/);
    assert.match(run.stdout, /\[postgresql\] OK/);
  });

  it("fails when prisma/schema.prisma is edited without a migration", () => {
    cpSync(path.join(ROOT, "prisma"), path.join(copy, "prisma"), { recursive: true });
    const schema = path.join(copy, "prisma/schema.prisma");
    writeFileSync(schema, readFileSync(schema, "utf8").replace("model User {", "model User {\n  nickname String?"));
    const run = runCheck(copy);
    assert.equal(run.status, 2);
    assert.match(run.stderr, /DRIFT/);
  });
});

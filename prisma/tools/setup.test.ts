/**
 * Issue 16, 10h: `npm run setup` seeds the demo customers (whose passwords are in the README) only
 * when asked for with --demo, which `npm run dev` passes; an empty production database stays empty.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { createTestDatabase, TEST_PROVIDER, type TestDatabase } from "@/lib/testing/test-db";

const ROOT = path.resolve(import.meta.dirname, "../..");
let testDb: TestDatabase;
let db: typeof import("@/lib/db").db;
let setup: typeof import("@/prisma/tools/setup");

before(async () => {
  testDb = await createTestDatabase(); // before the lib imports: lib/db.ts reads DATABASE_URL once
  db = (await import("@/lib/db")).db;
  setup = await import("@/prisma/tools/setup");
});
after(async () => {
  await db?.$disconnect();
  await testDb?.drop();
});

describe(`npm run setup and demo data (${TEST_PROVIDER})`, () => {
  it("seeds nothing into an empty database unless asked for", async () => {
    assert.equal(await db.user.count(), 0);
    assert.equal(await setup.seedIfAsked(db, { demo: false }), "not_asked");
    assert.equal(await db.user.count(), 0);
  });

  it("with --demo, seeds the demo customers into an empty database, once", async () => {
    assert.equal(await setup.seedIfAsked(db, { demo: true }), "seeded");
    assert.deepEqual(
      (await db.user.findMany({ select: { email: true }, orderBy: { email: "asc" } })).map((u) => u.email),
      ["alice@example.com", "bob@example.com"],
    );
    assert.equal(await setup.seedIfAsked(db, { demo: true }), "has_users");
    assert.equal(await db.user.count(), 2);
  });

  it("npm run dev asks for the demo data; npm run setup itself doesn't", () => {
    const scripts = (
      JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }
    ).scripts;
    assert.match(scripts.dev, new RegExp(`npm run setup -- ${setup.DEMO_FLAG}\\b`));
    assert.doesNotMatch(scripts.setup, /--demo/);
  });

  it("importing the setup module runs nothing (the script part only runs as `npm run setup`)", () => {
    // A child that imports it and exits: no .env written, no migration, no seed output.
    const child = spawnSync(
      process.execPath,
      [
        "--import",
        "tsx",
        "--import",
        "./prisma/tools/outside-next.mjs",
        "-e",
        'await import("./prisma/tools/setup.ts")',
      ],
      {
        cwd: ROOT,
        encoding: "utf8",
        env: { ...process.env, DATABASE_URL: testDb.url },
      },
    );
    assert.equal(child.status, 0, child.stderr);
    assert.equal(child.stdout, "");
  });
});

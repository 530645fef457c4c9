/**
 * An isolated, migrated database for one integration-test file (each node:test file runs in its own
 * process). SQLite by default: a fresh file in a temp dir. With TEST_DATABASE_URL=postgresql://…,
 * a fresh database is created on that server, and dropped at the end.
 *
 * Call before importing anything from lib/: lib/db.ts reads DATABASE_URL once, at import.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { after, before } from "node:test";
import { tmpdir } from "node:os";
import path from "node:path";
import { deployMigrations } from "../../prisma/tools/deploy";

/** Which database the integration tests run on in this process (run-unit.mjs runs them on each). */
export const TEST_PROVIDER: "sqlite" | "postgresql" = process.env.TEST_DATABASE_URL ? "postgresql" : "sqlite";

export type TestDatabase = { url: string; provider: "sqlite" | "postgresql"; drop(): Promise<void> };

export async function createTestDatabase(): Promise<TestDatabase> {
  const base = process.env.TEST_DATABASE_URL || undefined;
  process.env.AUTH_SECRET ??= randomBytes(33).toString("base64url");
  if (base && /^postgres(ql)?:\/\//.test(base)) {
    const { default: pg } = await import("pg");
    const name = `vault_test_${randomBytes(6).toString("hex")}`;
    const admin = new pg.Client({ connectionString: base });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(base);
    url.pathname = `/${name}`;
    process.env.DATABASE_URL = url.toString();
    await deployMigrations(process.env.DATABASE_URL, () => {});
    return {
      url: process.env.DATABASE_URL,
      provider: "postgresql",
      async drop() {
        const again = new pg.Client({ connectionString: base });
        await again.connect();
        await again.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await again.end();
      },
    };
  }
  const dir = mkdtempSync(path.join(tmpdir(), "vault-test-"));
  process.env.DATABASE_URL = `file:${path.join(dir, "test.db")}`;
  await deployMigrations(process.env.DATABASE_URL, () => {});
  return {
    url: process.env.DATABASE_URL,
    provider: "sqlite",
    drop: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

export type TestDb = {
  /** The one Prisma client (lib/db.ts), bound to this file's database; set once the before() hook ran. */
  db: typeof import("@/lib/db").db;
  database: TestDatabase;
};

/**
 * The before/after pair every database test file needs: a fresh migrated database before anything
 * from lib/ is imported, then lib/db.ts's client, then the file's own `setup` (imports of lib/, the
 * fixtures it needs), all in one before() hook (node:test doesn't wait for one top-level before()
 * hook before starting the next). After the file, the client disconnects and the database is dropped.
 *   const testDb = withTestDb(async (db) => {
 *     transfers = await import("@/lib/banking/transfers");
 *     alice = await customerWithPasskey(db);
 *   });
 */
export function withTestDb(setup?: (db: TestDb["db"]) => Promise<void> | void): TestDb {
  const handle = {} as TestDb;
  before(async () => {
    handle.database = await createTestDatabase();
    handle.db = (await import("@/lib/db")).db;
    await setup?.(handle.db);
  });
  after(async () => {
    await handle.db?.$disconnect();
    await handle.database?.drop();
  });
  return handle;
}

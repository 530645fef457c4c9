/**
 * `npm run db:deploy`: apply pending migrations, offline, the way `prisma migrate deploy` does.
 *
 * It keeps Prisma's own bookkeeping so a machine with internet can switch to the real CLI at any time:
 * the same `_prisma_migrations` DDL as the schema engine, checksum = sha256 of migration.sql,
 * applied_steps_count = 1, and on PostgreSQL the engine's advisory-lock key (72707369), so two
 * deployers never interleave. Like Prisma, a migration script is not wrapped in a transaction
 * (SQLite table redefinitions turn foreign keys off, which a transaction forbids).
 */
import { createHash, randomUUID } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "../..");

const SQLITE_DDL = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    TEXT PRIMARY KEY NOT NULL,
    "checksum"              TEXT NOT NULL,
    "finished_at"           DATETIME,
    "migration_name"        TEXT NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        DATETIME,
    "started_at"            DATETIME NOT NULL DEFAULT current_timestamp,
    "applied_steps_count"   INTEGER UNSIGNED NOT NULL DEFAULT 0
)`;
const POSTGRES_DDL = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;
const PRISMA_ADVISORY_LOCK_KEY = 72707369;

type Row = Record<string, unknown>;
interface Connection {
  ddl: string;
  migrationsDir: string;
  script(sql: string): Promise<void>;
  query(sql: string, params?: unknown[]): Promise<Row[]>;
  placeholder(index: number): string;
  now(): string;
  close(): Promise<void>;
}

export const isPostgresUrl = (url: string) => /^postgres(ql)?:\/\//.test(url);

/** better-sqlite3 resolves a `file:` path against the process cwd; Vault always runs from the root. */
export const sqlitePathOf = (url: string) => url.replace(/^file:/, "").replace(/\?.*$/, "");

async function connect(url: string): Promise<Connection> {
  if (isPostgresUrl(url)) {
    const { default: pg } = await import("pg");
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(`SELECT pg_advisory_lock(${PRISMA_ADVISORY_LOCK_KEY})`);
    return {
      ddl: POSTGRES_DDL,
      migrationsDir: path.join(ROOT, "prisma/postgres/migrations"),
      // Simple query protocol: a multi-statement script runs as one implicit transaction, as in Prisma.
      script: async (sql) => void (await client.query(sql)),
      query: async (sql, params = []) => (await client.query(sql, params)).rows as Row[],
      placeholder: (i) => `$${i}`,
      now: () => new Date().toISOString(),
      close: () => client.end(),
    };
  }
  const { default: Database } = await import("better-sqlite3");
  const db = new Database(sqlitePathOf(url));
  return {
    ddl: SQLITE_DDL,
    migrationsDir: path.join(ROOT, "prisma/migrations"),
    script: async (sql) => void db.exec(sql),
    query: async (sql, params = []) => {
      const statement = db.prepare(sql);
      if (statement.reader) return statement.all(...params) as Row[];
      statement.run(...params);
      return [];
    },
    placeholder: () => "?",
    // The text format the schema engine itself writes.
    now: () => new Date().toISOString().replace("Z", "+00:00"),
    close: async () => void db.close(),
  };
}

export async function deployMigrations(url: string, log: (line: string) => void = console.log): Promise<string[]> {
  const db = await connect(url);
  const applied: string[] = [];
  try {
    await db.script(db.ddl);
    const rows = await db.query(
      `SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations"`,
    );
    const failed = rows.filter((r) => r.finished_at == null && r.rolled_back_at == null);
    if (failed.length > 0) {
      throw new Error(
        `P3009: a failed migration is recorded (${failed.map((r) => r.migration_name).join(", ")}). ` +
          "Fix the database by hand, then mark it rolled back.",
      );
    }
    const done = new Map(rows.filter((r) => r.rolled_back_at == null).map((r) => [r.migration_name, r.checksum]));
    const names = existsSync(db.migrationsDir)
      ? readdirSync(db.migrationsDir, { withFileTypes: true })
          .filter((d) => d.isDirectory())
          .map((d) => d.name)
          .sort()
      : [];
    const p = db.placeholder;
    for (const name of names) {
      const sql = readFileSync(path.join(db.migrationsDir, name, "migration.sql"), "utf8");
      const checksum = createHash("sha256").update(sql).digest("hex");
      if (done.has(name)) {
        if (done.get(name) !== checksum) log(`warning: migration ${name} was edited after it was applied`);
        continue;
      }
      const id = randomUUID();
      await db.query(
        `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count) VALUES (${p(1)}, ${p(2)}, ${p(3)}, ${p(4)}, 0)`,
        [id, checksum, name, db.now()],
      );
      try {
        await db.script(sql);
      } catch (err) {
        await db.query(`UPDATE "_prisma_migrations" SET logs = ${p(1)} WHERE id = ${p(2)}`, [String(err), id]);
        throw new Error(`P3018: migration ${name} failed: ${err instanceof Error ? err.message : String(err)}`);
      }
      await db.query(
        `UPDATE "_prisma_migrations" SET finished_at = ${p(1)}, applied_steps_count = 1 WHERE id = ${p(2)}`,
        [db.now(), id],
      );
      applied.push(name);
    }
  } finally {
    await db.close();
  }
  log(applied.length ? `Applied ${applied.length} migration(s): ${applied.join(", ")}` : "No pending migrations.");
  return applied;
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  const { loadEnvFiles } = await import("./load-env");
  loadEnvFiles();
  const { env } = await import("../../lib/env");
  deployMigrations(env.DATABASE_URL).catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}

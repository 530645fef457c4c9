/**
 * Databases for the reliability specs, and plain SQL on them from the test (never through the app).
 * SQLite: a file under e2e/.tmp. PostgreSQL: a named database inside the TEST_DATABASE_URL cluster,
 * recreated empty, so specs don't clash with each other or with the unit tests' vault_test_* ones.
 */
import Database from "better-sqlite3";
import path from "node:path";
import pg from "pg";
import { isPostgresUrl, sqlitePathOf } from "../../prisma/tools/deploy";

const ROOT = path.resolve(import.meta.dirname, "../..");

export type Provider = "sqlite" | "postgresql";

/** Why the PostgreSQL variant of a spec can't run here, or null when it can. */
export const postgresUnavailable = (): string | null =>
  process.env.TEST_DATABASE_URL
    ? null
    : "TEST_DATABASE_URL is not set (export it from e2e/tools/postgres.sh start to run the PostgreSQL variants)";

/** A database URL for `name`: a SQLite file, or an empty PostgreSQL database of that name (dropped first if it exists). */
export async function freshDatabase(
  provider: Provider,
  name: string,
  base = process.env.TEST_DATABASE_URL,
): Promise<string> {
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`database name must be [a-z0-9_]+: ${name}`);
  if (provider === "sqlite") return `file:./e2e/.tmp/${name}.db`; // prepare-db.ts deletes and recreates it
  if (!base) throw new Error(postgresUnavailable()!);
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.toString();
}

/**
 * One connection, one dialect. Write SQL with double-quoted identifiers (Prisma's camelCase columns
 * need them on PostgreSQL) and `?` placeholders. Integers come back as bigint on both databases, so
 * money is compared to the minor unit.
 */
export type Sql = {
  provider: Provider;
  all<T = Record<string, unknown>>(sql: string, ...params: unknown[]): Promise<T[]>;
  close(): Promise<void>;
};

export async function openSql(databaseUrl: string): Promise<Sql> {
  if (isPostgresUrl(databaseUrl)) {
    const client = new pg.Client({ connectionString: databaseUrl, types: { getTypeParser: bigintParser } });
    await client.connect();
    return {
      provider: "postgresql",
      async all<T>(sql: string, ...params: unknown[]) {
        let n = 0;
        return (
          await client.query(
            sql.replace(/\?/g, () => `$${++n}`),
            params,
          )
        ).rows as T[];
      },
      close: () => client.end(),
    };
  }
  const db = new Database(path.resolve(ROOT, sqlitePathOf(databaseUrl)), { fileMustExist: true, timeout: 10_000 });
  db.defaultSafeIntegers(true);
  return {
    provider: "sqlite",
    all: async <T>(sql: string, ...params: unknown[]) => {
      const statement = db.prepare(sql);
      return (statement.reader ? statement.all(...params) : (statement.run(...params), [])) as T[];
    },
    close: async () => void db.close(),
  };
}

// int8 (20), numeric (1700: SUM of bigints) and int4 (23: COUNT is int8 already) as bigint; the rest as pg's default.
function bigintParser(oid: number, format?: string) {
  if (oid === 20 || oid === 1700 || oid === 23) return (value: string) => BigInt(value);
  return pg.types.getTypeParser(oid, format as "text");
}

import "server-only";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { env } from "@/lib/env";
import { PrismaClient as SqliteClient } from "@/lib/generated/sqlite/client";
import { PrismaClient as PostgresClient } from "@/lib/generated/postgres/client";

/**
 * The one Prisma client. The driver adapter, and the generated client that matches it, follow
 * DATABASE_URL: `npm run db:generate` builds both clients from the same schema, so one build of Vault
 * runs on SQLite or PostgreSQL with no regeneration step. Both clients have identical model types
 * (the schema keeps to the portable subset), so the SQLite type stands for either.
 */
export type Db = SqliteClient;
export type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

export const isPostgres = (url: string) => /^postgres(ql)?:\/\//.test(url);

/** Tests count the SQL statements an operation costs (lib/testing/statements.ts): Prisma's query events, only then. */
const log = env.NODE_ENV === "test" ? [{ emit: "event" as const, level: "query" as const }] : undefined;

export function createDb(url: string = env.DATABASE_URL): Db {
  if (isPostgres(url)) {
    // A burst of one customer's payments queues for the pool's 10 connections (their transactions
    // serialise on the customer's row); Prisma's default 2 s wait for a connection turned a busy
    // moment into errors. They wait up to 10 s now; a transaction itself still ends within 15 s.
    return new PostgresClient({
      adapter: new PrismaPg({ connectionString: url }),
      transactionOptions: { maxWait: 10_000, timeout: 15_000 },
      log,
    }) as unknown as Db;
  }
  return new SqliteClient({ adapter: sqliteAdapter(url), log }) as unknown as Db;
}

/**
 * SQLite in write-ahead-log mode: readers don't wait for the writer, and a commit is one append and
 * one fsync instead of a rollback journal's several (sqlite.org/wal.html). synchronous=FULL keeps
 * every committed transfer across a power cut (better-sqlite3 defaults WAL to NORMAL, which may lose
 * the last commits). Set on each new connection, before Prisma's first query.
 */
function sqliteAdapter(url: string) {
  const factory = new PrismaBetterSqlite3({ url });
  const connect = factory.connect.bind(factory);
  factory.connect = async () => {
    const adapter = await connect();
    await adapter.executeScript("PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;");
    return oneTransactionAtATime(adapter);
  };
  return factory;
}

type SqliteAdapter = Awaited<ReturnType<PrismaBetterSqlite3["connect"]>>;

/**
 * One SQLite connection serves the whole process. Prisma's adapter runs one interactive transaction
 * at a time on it, but lets a query from outside any transaction run on the same connection while
 * one is open: that query joined the open transaction, read its uncommitted writes, and vanished if
 * it rolled back (another request's audit row, a lockout's point taken before the work). Here a query
 * from outside waits until the open transaction has ended, as it would on PostgreSQL, where each
 * transaction has a connection of its own. Code inside a transaction must therefore use its `tx`.
 */
function oneTransactionAtATime(adapter: SqliteAdapter): SqliteAdapter {
  let tail: Promise<void> = Promise.resolve();
  const acquire = async () => {
    const previous = tail;
    let release!: () => void;
    tail = new Promise<void>((resolve) => (release = resolve));
    await previous;
    return release;
  };
  const outside =
    <A extends unknown[], R>(run: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      const release = await acquire();
      try {
        return await run(...args);
      } finally {
        release();
      }
    };
  return Object.assign(Object.create(adapter) as SqliteAdapter, {
    queryRaw: outside(adapter.queryRaw.bind(adapter)),
    executeRaw: outside(adapter.executeRaw.bind(adapter)),
    executeScript: outside(adapter.executeScript.bind(adapter)),
    startTransaction: async (...args: Parameters<SqliteAdapter["startTransaction"]>) => {
      const release = await acquire();
      try {
        const transaction = await adapter.startTransaction(...args);
        const end = (finish: () => Promise<void>) => async () => {
          try {
            await finish();
          } finally {
            release();
          }
        };
        return Object.assign(Object.create(transaction) as typeof transaction, {
          commit: end(transaction.commit.bind(transaction)),
          rollback: end(transaction.rollback.bind(transaction)),
        });
      } catch (err) {
        release();
        throw err;
      }
    },
  });
}

// One client per process, kept across `next dev` hot reloads.
const globalForDb = globalThis as unknown as { vaultDb?: Db };
export const db: Db = (globalForDb.vaultDb ??= createDb());

/**
 * Read-only looks at the e2e database, so tests can assert what did (or didn't) change. SQLite
 * only: the e2e server runs on the SQLite default.
 */
import Database from "better-sqlite3";
import path from "node:path";
import { E2E_DATABASE_URL } from "../playwright.config";
import { sqlitePathOf } from "../../prisma/tools/deploy";

const ROOT = path.resolve(import.meta.dirname, "../..");

export function queryE2eDb<T>(sql: string, ...params: unknown[]): T[] {
  const db = new Database(path.resolve(ROOT, sqlitePathOf(E2E_DATABASE_URL)), { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

export const countUsersWithEmail = (email: string) =>
  queryE2eDb<{ n: number }>(`SELECT COUNT(*) AS n FROM "User" WHERE email = ?`, email.trim().toLowerCase())[0].n;

/** Writes to the e2e database behind the server's back: only for attack tests (a tampered intent). */
export function writeE2eDb(sql: string, ...params: unknown[]): number {
  const db = new Database(path.resolve(ROOT, sqlitePathOf(E2E_DATABASE_URL)), { fileMustExist: true, timeout: 5_000 });
  try {
    return db.prepare(sql).run(...params).changes;
  } finally {
    db.close();
  }
}

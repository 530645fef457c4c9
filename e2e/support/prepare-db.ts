/** Before the e2e server starts: a fresh database with the migrations and the demo seed. */
import { mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import { deployMigrations, isPostgresUrl, sqlitePathOf } from "../../prisma/tools/deploy";

const url = process.env.DATABASE_URL;
if (!url) throw new Error("DATABASE_URL is not set");
if (isPostgresUrl(url)) {
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query("DROP SCHEMA public CASCADE; CREATE SCHEMA public;");
  await client.end();
} else {
  const file = sqlitePathOf(url);
  mkdirSync(path.dirname(file), { recursive: true });
  for (const suffix of ["", "-journal", "-wal", "-shm"]) rmSync(file + suffix, { force: true });
}
await deployMigrations(url);
const { db } = await import("../../lib/db");
const { seed } = await import("../../prisma/seed");
await seed(db);
await db.$disconnect();

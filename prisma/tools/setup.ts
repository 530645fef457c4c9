/**
 * `npm run setup` (run by `npm run dev`): everything a fresh checkout needs, idempotent.
 *  1. .env from .env.example, with a freshly generated AUTH_SECRET, if there is none yet;
 *  2. apply pending migrations to DATABASE_URL;
 *  3. with `--demo` only (what `npm run dev` passes), seed the demo users when the database has none.
 *
 * Without `--demo` nothing is seeded: the demo customers' passwords are in the README, so they must
 * never land in a production database because it happened to be empty when setup ran.
 */
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Db } from "../../lib/db";
import { loadEnvFiles } from "./load-env";

const ROOT = path.resolve(import.meta.dirname, "../..");

function ensureEnvFile() {
  const envPath = path.join(ROOT, ".env");
  const text = existsSync(envPath)
    ? readFileSync(envPath, "utf8")
    : readFileSync(path.join(ROOT, ".env.example"), "utf8");
  if (/^AUTH_SECRET=\S{32,}/m.test(text)) return;
  const secret = randomBytes(33).toString("base64url");
  const next = /^AUTH_SECRET=.*$/m.test(text)
    ? text.replace(/^AUTH_SECRET=.*$/m, `AUTH_SECRET=${secret}`)
    : `${text.trimEnd()}\nAUTH_SECRET=${secret}\n`;
  writeFileSync(envPath, next, { mode: 0o600 });
  console.log("setup: wrote .env with a new AUTH_SECRET");
}

export const DEMO_FLAG = "--demo";

/** Step 3: the demo users, only when asked for and only into a database without users. */
export async function seedIfAsked(db: Db, { demo }: { demo: boolean }): Promise<"seeded" | "not_asked" | "has_users"> {
  if (!demo) {
    console.log(`setup: no demo data (add it with \`npm run db:seed\`, or run setup with ${DEMO_FLAG})`);
    return "not_asked";
  }
  const users = await db.user.count();
  if (users > 0) {
    console.log(`setup: database already has ${users} user(s); not seeding`);
    return "has_users";
  }
  const { seed } = await import("../seed");
  await seed(db);
  return "seeded";
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  ensureEnvFile();
  loadEnvFiles();
  const { env } = await import("../../lib/env");
  const { deployMigrations } = await import("./deploy");
  await deployMigrations(env.DATABASE_URL);
  const { db } = await import("../../lib/db");
  await seedIfAsked(db, { demo: process.argv.slice(2).includes(DEMO_FLAG) });
  await db.$disconnect();
}

/**
 * `npm run setup` (run by `npm run dev`): everything a fresh checkout needs, idempotent.
 *  1. .env from .env.example, with a freshly generated AUTH_SECRET, if there is none yet;
 *  2. apply pending migrations to DATABASE_URL;
 *  3. seed the demo users when the database has no users.
 */
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { loadEnvFiles } from "./load-env";

const ROOT = path.resolve(import.meta.dirname, "../..");

function ensureEnvFile() {
  const envPath = path.join(ROOT, ".env");
  const text = existsSync(envPath) ? readFileSync(envPath, "utf8") : readFileSync(path.join(ROOT, ".env.example"), "utf8");
  if (/^AUTH_SECRET=\S{32,}/m.test(text)) return;
  const secret = randomBytes(33).toString("base64url");
  const next = /^AUTH_SECRET=.*$/m.test(text)
    ? text.replace(/^AUTH_SECRET=.*$/m, `AUTH_SECRET=${secret}`)
    : `${text.trimEnd()}\nAUTH_SECRET=${secret}\n`;
  writeFileSync(envPath, next, { mode: 0o600 });
  console.log("setup: wrote .env with a new AUTH_SECRET");
}

ensureEnvFile();
loadEnvFiles();
const { env } = await import("../../lib/env");
const { deployMigrations } = await import("./deploy");
await deployMigrations(env.DATABASE_URL);
const { db } = await import("../../lib/db");
const users = await db.user.count();
if (users === 0) {
  const { seed } = await import("../seed");
  await seed(db);
} else {
  console.log(`setup: database already has ${users} user(s); not seeding`);
}
await db.$disconnect();

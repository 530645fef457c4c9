// For the native Prisma CLI where the internet is reachable (`npx prisma studio`, `migrate deploy`).
// Offline, use the npm scripts (prisma/tools), which read the same layout. Prisma 7 takes the
// database URL only from here, and picks the schema that matches it.
import { defineConfig } from "prisma/config";

const url = process.env.DATABASE_URL ?? "file:./prisma/dev.db";
const postgres = /^postgres(ql)?:\/\//.test(url);

export default defineConfig({
  schema: postgres ? "prisma/postgres/schema.prisma" : "prisma/schema.prisma",
  migrations: { path: postgres ? "prisma/postgres/migrations" : "prisma/migrations" },
  datasource: { url },
});

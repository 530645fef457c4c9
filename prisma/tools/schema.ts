/**
 * Offline schema tooling for both providers. Prisma 7's CLI downloads a native schema engine when any
 * command starts, and these machines can't reach that host, so:
 *
 *   generate         derive prisma/postgres/schema.prisma, then `prisma generate` BOTH clients
 *                    (lib/generated/sqlite and lib/generated/postgres); lib/db.ts picks one at runtime.
 *   create --name X  write a new migration for BOTH providers with @prisma/schema-engine-wasm
 *                    (the same Rust engine as `prisma migrate dev`, built to wasm), run against
 *                    throwaway in-memory databases: better-sqlite3 ":memory:" and PGlite "memory://".
 *   check            exit 2 if either migration folder, or the derived schema, has drifted.
 *
 * The wasm package is internal to Prisma: pin it to the build that @prisma/internals of the installed
 * prisma lists (`npm view @prisma/internals@<ver> dependencies`). The drift test is the canary.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import type { SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import type { MigrationList, SchemaEngine, SchemaFilter } from "@prisma/schema-engine-wasm";

const require = createRequire(import.meta.url);
// `--root DIR` points the tool at another checkout (the drift test edits a copy of prisma/ there).
const rootFlag = process.argv.indexOf("--root");
const ROOT = rootFlag > 0 ? path.resolve(process.argv[rootFlag + 1]) : path.resolve(import.meta.dirname, "../..");
const NO_FILTERS: SchemaFilter = { externalTables: [], externalEnums: [] };

export type Provider = "sqlite" | "postgresql";
export const PROVIDERS: readonly Provider[] = ["sqlite", "postgresql"];
export const TARGETS: Record<Provider, { schema: string; migrations: string }> = {
  sqlite: { schema: "prisma/schema.prisma", migrations: "prisma/migrations" },
  postgresql: { schema: "prisma/postgres/schema.prisma", migrations: "prisma/postgres/migrations" },
};
const abs = (p: string) => path.join(ROOT, p);

const DERIVED_HEADER =
  "// GENERATED from prisma/schema.prisma by `npm run db:generate` / `npm run db:migrate`. Do not edit.\n";

/** The PostgreSQL schema is the SQLite one with another provider and generator output. */
export function derivePostgresSchema(sqliteSchema: string): string {
  const out = sqliteSchema
    .replace(/(datasource\s+db\s*\{[^}]*provider\s*=\s*)"sqlite"/, '$1"postgresql"')
    .replace(/(output\s*=\s*)"\.\.\/lib\/generated\/sqlite"/, '$1"../../lib/generated/postgres"');
  if (!out.includes('"postgresql"') || !out.includes("lib/generated/postgres")) {
    throw new Error("could not derive the PostgreSQL schema: provider or generator output not found");
  }
  return DERIVED_HEADER + out;
}

async function syncDerivedSchema({ verifyOnly }: { verifyOnly: boolean }): Promise<boolean> {
  const wanted = derivePostgresSchema(await readFile(abs(TARGETS.sqlite.schema), "utf8"));
  const current = await readFile(abs(TARGETS.postgresql.schema), "utf8").catch(() => "");
  if (current === wanted) return true;
  if (verifyOnly) return false;
  await mkdir(path.dirname(abs(TARGETS.postgresql.schema)), { recursive: true });
  await writeFile(abs(TARGETS.postgresql.schema), wanted);
  return true;
}

// ---- the wasm schema engine -------------------------------------------------------------------

let engineClass: Promise<typeof SchemaEngine> | undefined;
/** Instantiate once per process: the wasm-bindgen glue is a singleton bound to the first instance. */
const loadEngine = () => (engineClass ??= instantiateEngine());

async function instantiateEngine(): Promise<typeof SchemaEngine> {
  // The package's main entry imports the .wasm as an ES module (bundler-only), so wire it by hand.
  const gluePath = require.resolve("@prisma/schema-engine-wasm/schema_engine_bg");
  const glue = (await import("@prisma/schema-engine-wasm/schema_engine_bg")) as Record<string, unknown> & {
    __wbg_set_wasm(exports: WebAssembly.Exports): void;
    SchemaEngine: typeof SchemaEngine;
  };
  const imports: Record<string, unknown> = { ...glue };
  for (const name of Object.keys(glue)) {
    // The engine arms an advisory-lock timer it never clears; unref it so the process can exit.
    if (name.startsWith("__wbg_setTimeout_")) {
      const original = glue[name] as (...a: unknown[]) => { unref?: () => void } | undefined;
      imports[name] = (...a: unknown[]) => {
        const timer = original(...a);
        timer?.unref?.();
        return timer;
      };
    }
  }
  const bytes = await readFile(path.join(path.dirname(gluePath), "schema_engine_bg.wasm"));
  const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), {
    "./schema_engine_bg.js": imports as WebAssembly.ModuleImports,
  });
  const g = globalThis as { PRISMA_WASM_PANIC_REGISTRY?: unknown };
  let panic = "";
  g.PRISMA_WASM_PANIC_REGISTRY ??= { set_message: (m: string) => void (panic = m), get: () => panic };
  glue.__wbg_set_wasm(instance.exports);
  (instance.exports as { __wbindgen_start(): void }).__wbindgen_start();
  return glue.SchemaEngine;
}

/** Throwaway in-memory databases for the engine (its main DB and its shadow DB). */
async function inMemoryAdapter(provider: Provider): Promise<SqlMigrationAwareDriverAdapterFactory> {
  if (provider === "postgresql") {
    const { PGlite } = await import("@electric-sql/pglite");
    const { PrismaPGlite } = await import("pglite-prisma-adapter");
    return new PrismaPGlite(new PGlite("memory://")) as unknown as SqlMigrationAwareDriverAdapterFactory;
  }
  const { PrismaBetterSqlite3 } = await import("@prisma/adapter-better-sqlite3");
  const factory = new PrismaBetterSqlite3({ url: ":memory:" });
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: () => factory.connect(),
    // Shadow replay sends a whole migration.sql through executeRaw, and better-sqlite3's prepare()
    // refuses multi-statement SQL: run parameterless raw SQL as a script instead.
    connectToShadowDb: async () => {
      const shadow = await factory.connectToShadowDb();
      const executeRaw = shadow.executeRaw.bind(shadow);
      shadow.executeRaw = async (query) =>
        query.args.length === 0 ? (await shadow.executeScript(query.sql), 0) : executeRaw(query);
      return shadow;
    },
  };
}

async function listMigrations(dir: string): Promise<MigrationList> {
  const lockfile = await readFile(path.join(dir, "migration_lock.toml"), "utf8").catch(() => null);
  const entries = existsSync(dir) ? await readdir(dir, { withFileTypes: true }) : [];
  const names = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  const migrationDirectories = [];
  for (const name of names) {
    const content = await readFile(path.join(dir, name, "migration.sql"), "utf8").then(
      (value) => ({ tag: "ok" as const, value }),
      (err: Error) => ({ tag: "error" as const, value: err.message }),
    );
    migrationDirectories.push({ path: name, migrationFile: { path: "migration.sql", content } });
  }
  return {
    baseDir: dir,
    lockfile: { path: "migration_lock.toml", content: lockfile },
    migrationDirectories,
    shadowDbInitScript: "",
  };
}

async function withEngine<T>(
  provider: Provider,
  fn: (engine: SchemaEngine, schema: { files: { path: string; content: string }[] }) => Promise<T>,
): Promise<T> {
  const schemaPath = abs(TARGETS[provider].schema);
  const content = await readFile(schemaPath, "utf8");
  const factory = bindMigrationAwareSqlAdapterFactory(await inMemoryAdapter(provider));
  const Engine = await loadEngine();
  const engine = await Engine.new({ datamodels: [[schemaPath, content]] }, () => {}, factory);
  try {
    return await fn(engine, { files: [{ path: schemaPath, content }] });
  } finally {
    engine.free();
  }
}

async function createMigration(provider: Provider, name: string) {
  const dir = abs(TARGETS[provider].migrations);
  await withEngine(provider, async (engine, schema) => {
    const migrationsList = await listMigrations(dir);
    // The `migrate dev` order: bring the in-memory DB up to date (this also creates
    // _prisma_migrations), then devDiagnostic, which fills the cache createMigration reads.
    await engine.applyMigrations({ migrationsList, filters: NO_FILTERS });
    const diagnostic = await engine.devDiagnostic({ migrationsList, filters: NO_FILTERS });
    if (diagnostic.action.tag === "reset") throw new Error(diagnostic.action.reason);
    const out = await engine.createMigration({
      draft: false,
      migrationName: name,
      migrationsList,
      schema,
      filters: NO_FILTERS,
    });
    if (out.migrationScript === null) {
      console.log(`[${provider}] no schema changes: nothing created`);
      return;
    }
    await mkdir(path.join(dir, out.generatedMigrationName), { recursive: true });
    await writeFile(path.join(dir, out.generatedMigrationName, `migration.${out.extension}`), out.migrationScript);
    await writeFile(
      path.join(dir, "migration_lock.toml"),
      `# Please do not edit this file manually\n# It should be added in your version-control system (e.g., Git)\nprovider = "${out.connectorType}"\n`,
    );
    console.log(
      `[${provider}] created ${path.relative(ROOT, dir)}/${out.generatedMigrationName}/migration.${out.extension}`,
    );
  });
}

/** 0 when the migrations replay to exactly the schema, 2 on drift. */
async function checkDrift(provider: Provider): Promise<number> {
  return withEngine(provider, async (engine, schema) => {
    const result = await engine.diff({
      from: { tag: "migrations", ...(await listMigrations(abs(TARGETS[provider].migrations))) },
      to: { tag: "schemaDatamodel", ...schema },
      script: true,
      exitCode: true,
      filters: NO_FILTERS,
    });
    if (result.exitCode === 0) console.log(`[${provider}] OK: migrations match ${TARGETS[provider].schema}`);
    else {
      console.error(`[${provider}] DRIFT: ${TARGETS[provider].schema} has changes with no migration.`);
      console.error(`Run \`npm run db:migrate -- --name <what_changed>\`. Missing SQL:\n${result.stdout}`);
    }
    return result.exitCode === 0 ? 0 : 2;
  });
}

function generateClients(): number {
  for (const provider of PROVIDERS) {
    // `prisma generate` never runs the schema engine, but the CLI tries to download it at startup
    // unless this variable names an existing file. Set it for this child only: exported globally it
    // would break a real `prisma migrate` on a machine with internet.
    const env = { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: process.execPath, PRISMA_HIDE_UPDATE_MESSAGE: "1" };
    const cli = require.resolve("prisma/build/index.js");
    const run = spawnSync(process.execPath, [cli, "generate", "--schema", TARGETS[provider].schema], {
      cwd: ROOT,
      env,
      encoding: "utf8",
    });
    if (run.status !== 0) {
      process.stderr.write(run.stdout + run.stderr);
      return run.status ?? 1;
    }
    console.log(`[${provider}] client generated`);
  }
  return 0;
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case "generate":
      await syncDerivedSchema({ verifyOnly: false });
      return generateClients();
    case "create": {
      const name = rest[rest.indexOf("--name") + 1];
      if (!rest.includes("--name") || !name || !/^[a-z0-9_]+$/.test(name)) {
        console.error("usage: npm run db:migrate -- --name <snake_case_name>");
        return 1;
      }
      await syncDerivedSchema({ verifyOnly: false });
      for (const provider of PROVIDERS) await createMigration(provider, name);
      return 0;
    }
    case "check": {
      if (!(await syncDerivedSchema({ verifyOnly: true }))) {
        console.error(`DRIFT: ${TARGETS.postgresql.schema} is stale. Run \`npm run db:migrate -- --name <name>\`.`);
        return 2;
      }
      let code = 0;
      for (const provider of PROVIDERS) code = Math.max(code, await checkDrift(provider));
      return code;
    }
    default:
      console.error("usage: schema.ts generate | create --name <name> | check");
      return 1;
  }
}

// PGlite instances (including the adapter's never-closed shadow) keep the event loop alive: exit.
main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);

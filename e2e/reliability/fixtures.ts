/**
 * The reliability specs' fixtures: everything e2e/fixtures.ts gives (virtual authenticator, 5xx and
 * CSP guards on pages), plus `apps`, which starts production servers and always stops them when the
 * test ends, whether it passed or not.
 */
import { prepareDatabase, startAppServer, type AppServer, type AppServerOptions } from "../support/app-server";
import { test as e2e } from "../fixtures";
import { postgresUnavailable, type Provider } from "../support/sql";

export type Apps = {
  /** Migrations and the demo seed on a fresh database. */
  prepare(databaseUrl: string): void;
  start(options: AppServerOptions): Promise<AppServer>;
};

export const test = e2e.extend<{ apps: Apps }>({
  apps: async ({}, use, testInfo) => {
    const started: AppServer[] = [];
    await use({
      prepare: prepareDatabase,
      start: async (options) => {
        const server = await startAppServer(options);
        started.push(server);
        return server;
      },
    });
    await Promise.all(started.map((server) => server.stop()));
    if (testInfo.status !== testInfo.expectedStatus) {
      // What the servers said (warnings, errors, a crash) is the first thing to read after a failure.
      for (const server of started)
        await testInfo.attach(`server ${server.name} output`, {
          body: server.output().slice(-200_000),
          contentType: "text/plain",
        });
    }
  },
});
export { expect } from "../fixtures";

/**
 * Skips a PostgreSQL variant, saying why, when no server is configured; SQLite always runs.
 * Call at the top of the test body.
 */
export function requireProvider(provider: Provider): void {
  const reason = provider === "postgresql" ? postgresUnavailable() : null;
  if (reason) console.log(`SKIPPED (${provider}): ${reason}`);
  test.skip(reason !== null, reason ?? "");
}

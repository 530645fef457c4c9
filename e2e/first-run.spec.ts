/**
 * The first run (issue 20, item 1): the address `npm run dev` prints is the one that works. The test
 * starts the production server with the dev script's own --hostname and NODE_OPTIONS (read from
 * package.json, so the two can't drift apart), on a free port and a fresh database, with no
 * WEBAUTHN_ORIGINS (as a fresh .env has), reads the address it prints, and signs in and enrols a
 * passkey there.
 */
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import { prepareDatabase, startAppServer, type AppServer } from "./support/app-server";
import { attachVirtualAuthenticator, DEMO, enrolFirstPasskey, expect, signIn, signUp, test } from "./fixtures";

const ROOT = path.resolve(import.meta.dirname, "..");
const devScript = (
  JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }
).scripts.dev;
const devHostname = /--hostname\s+(\S+)/.exec(devScript)?.[1];
const devNodeOptions = /NODE_OPTIONS="([^"$]*)/.exec(devScript)?.[1]?.trim();

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

test.describe("the first run", () => {
  let server: AppServer;
  test.beforeAll(async () => {
    test.setTimeout(90_000);
    const port = await freePort();
    const databaseUrl = `file:./e2e/.tmp/first-run-${port}.db`;
    prepareDatabase(databaseUrl);
    server = await startAppServer({
      port,
      databaseUrl,
      hostname: devHostname,
      origin: null,
      env: devNodeOptions ? { NODE_OPTIONS: devNodeOptions } : {},
    });
  });
  test.afterAll(async () => server?.stop());

  test("the dev script prints http://localhost, and that address signs in and takes a passkey", async ({ browser }) => {
    expect(devHostname).toBe("localhost");
    const printed = /Local:\s+(http\S+)/.exec(server.output())?.[1];
    expect(printed).toBe(`http://localhost:${server.port}`);

    const context = await browser.newContext({ baseURL: printed });
    const page = await context.newPage();
    await signIn(page, DEMO.alice);
    await expect(page).toHaveURL(`${printed}/dashboard`);
    await expect(page.getByRole("heading", { name: /Alice/ })).toBeVisible();

    // Passkeys work there too: a new customer enrols one with Chromium's virtual authenticator.
    const authenticator = await attachVirtualAuthenticator(page);
    await page.getByRole("button", { name: "Sign out" }).first().click();
    await expect(page).toHaveURL(/\/login/);
    const user = {
      name: "Fran First-Run",
      email: `fran-${server.port}-${Date.now()}@example.com`,
      password: "a first run passphrase that is long",
    };
    await signUp(page, user);
    await expect(page).toHaveURL(/\/dashboard$/);
    await enrolFirstPasskey(page, authenticator, user);
    await context.close();
  });
});

import { existsSync } from "node:fs";
import path from "node:path";
import { chromium, defineConfig } from "@playwright/test";
import { freePortsSync } from "./support/free-port";

/**
 * e2e against the production build: `npm run test:e2e` runs `next build`, then this config's
 * webServer prepares a fresh database and runs `next start` on 127.0.0.1.
 * The browser origin is http://localhost:PORT (WebAuthn's rpID "localhost" needs it).
 *
 * The three servers' ports are free ones the OS hands out when the runner loads this file (or
 * E2E_PORT, E2E_SHORT_TTL_PORT, E2E_IDP_PORT). They are written back to process.env, so the worker
 * processes, which load this file again with the runner's environment, agree on them.
 */
const ROOT = path.resolve(import.meta.dirname, "..");
if (
  !process.env.E2E_PORT ||
  !process.env.E2E_SHORT_TTL_PORT ||
  !process.env.E2E_IDP_PORT ||
  !process.env.E2E_SMTP_PORT ||
  !process.env.E2E_SMTP_HTTP_PORT
) {
  const [main, shortTtl, idp, smtp, smtpHttp] = freePortsSync(5);
  process.env.E2E_PORT ||= String(main);
  process.env.E2E_SHORT_TTL_PORT ||= String(shortTtl);
  process.env.E2E_IDP_PORT ||= String(idp);
  process.env.E2E_SMTP_PORT ||= String(smtp);
  process.env.E2E_SMTP_HTTP_PORT ||= String(smtpHttp);
}
const PORT = Number(process.env.E2E_PORT);
export const E2E_DATABASE_URL = process.env.E2E_DATABASE_URL ?? "file:./e2e/.tmp/e2e.db";
const SHORT_TTL_PORT = Number(process.env.E2E_SHORT_TTL_PORT);
const SHORT_TTL_DATABASE_URL = "file:./e2e/.tmp/e2e-short-ttl.db";
/** The test OpenID Provider (e2e/support/idp.ts) the main server uses for single sign-on. */
export const IDP = {
  port: Number(process.env.E2E_IDP_PORT),
  clientId: "vault-e2e",
  clientSecret: "vault-e2e-idp-secret-not-for-production",
  name: "Example SSO",
};

/** The SMTP server the main server's mail worker delivers to, and where the tests read the mail (e2e/support/mailbox.ts). */
export const SMTP_CATCHER = {
  port: Number(process.env.E2E_SMTP_PORT),
  httpPort: Number(process.env.E2E_SMTP_HTTP_PORT),
};

/** A production server (`next start` on a prebuilt app) on a fresh, seeded database of its own. */
function server(port: number, databaseUrl: string, intentTtlS: string, extraEnv: Record<string, string> = {}) {
  return {
    command: `node --import tsx --import ./prisma/tools/outside-next.mjs e2e/support/prepare-db.ts && npx next start --hostname 127.0.0.1 --port ${port}`,
    cwd: ROOT,
    url: `http://127.0.0.1:${port}/api/health`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: "pipe" as const,
    stderr: "pipe" as const,
    env: {
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      DATABASE_URL: databaseUrl,
      AUTH_SECRET: "e2e-only-secret-do-not-use-anywhere-else-0123456789",
      AUTH_TRUST_HOST: "true",
      WEBAUTHN_RP_ID: "localhost",
      WEBAUTHN_ORIGINS: `http://localhost:${port}`,
      STEP_UP_INTENT_TTL_S: intentTtlS,
      // Warnings and errors only: every audited decision at "info" would bury the test report.
      LOG_LEVEL: "warn",
      ...extraEnv,
    },
  };
}

const SSO_ENV = {
  OIDC_ISSUER: `http://127.0.0.1:${IDP.port}`,
  OIDC_CLIENT_ID: IDP.clientId,
  OIDC_CLIENT_SECRET: IDP.clientSecret,
  OIDC_NAME: IDP.name,
  OIDC_STEP_UP_ACR: "urn:vault:idp:mfa",
};

const smtpCatcher = {
  command: "npx tsx e2e/tools/smtp-catcher.ts",
  cwd: ROOT,
  url: `http://127.0.0.1:${SMTP_CATCHER.httpPort}/health`,
  reuseExistingServer: false,
  timeout: 30_000,
  stdout: "pipe" as const,
  stderr: "pipe" as const,
  env: { SMTP_CATCHER_PORT: String(SMTP_CATCHER.port), SMTP_CATCHER_HTTP_PORT: String(SMTP_CATCHER.httpPort) },
};

/** Security messages go out over real SMTP, within a second of the event (docs/notifications.md). */
const MAIL_ENV = { SMTP_URL: `smtp://127.0.0.1:${SMTP_CATCHER.port}`, MAIL_POLL_MS: "500" };

const idpServer = {
  command: "npx tsx e2e/tools/idp-server.ts",
  cwd: ROOT,
  url: `http://127.0.0.1:${IDP.port}/.well-known/openid-configuration`,
  reuseExistingServer: false,
  timeout: 30_000,
  stdout: "pipe" as const,
  stderr: "pipe" as const,
  env: {
    IDP_PORT: String(IDP.port),
    IDP_CLIENT_ID: IDP.clientId,
    IDP_CLIENT_SECRET: IDP.clientSecret,
    IDP_REDIRECT_URIS: `http://localhost:${PORT}/api/auth/callback/sso,http://localhost:${PORT}/api/step-up/sso/callback`,
  },
};

/**
 * Never downloads a browser. CHROMIUM_PATH if set; otherwise Debian's headless shell (apt's
 * `chromium-headless-shell`, the same Chromium without the desktop browser around it: the same build
 * Playwright itself runs headless), then Debian's `chromium`, then Playwright's own if installed.
 * `full` asks for the whole browser, for what the shell lacks (the payment dialog of e2e/spc.spec.ts).
 * The shell halves the suite's CPU: docs/decisions/074-headless-shell-and-traces.md.
 */
function chromiumExecutable({ full = false } = {}): string | undefined {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`CHROMIUM_PATH=${fromEnv} does not exist.`);
    return fromEnv;
  }
  const debian = full
    ? ["/usr/lib/chromium/chromium"]
    : ["/usr/lib/chromium/chromium-headless-shell", "/usr/lib/chromium/chromium"];
  const found = debian.find((file) => existsSync(file));
  if (found) return found;
  if (existsSync(chromium.executablePath())) return undefined; // Playwright's own browser
  throw new Error(
    [
      "No Chromium found for the e2e tests. Any one of these works:",
      "  - Debian/Ubuntu: sudo apt-get install -y chromium chromium-headless-shell",
      "  - set CHROMIUM_PATH=/path/to/chrome-or-chromium",
      "  - where the internet is reachable: npx playwright install chromium",
    ].join("\n"),
  );
}

/**
 * Debian's Chromium ships Secure Payment Confirmation switched off: the `spc` project turns it on.
 * Playwright passes its own --enable-features list; the last one wins, so its features are repeated.
 */
const SPC_FEATURES = [
  "CDPScreenshotNewSurface",
  "SkipListAccountsWithoutGaiaCookies",
  "SecurePaymentConfirmationBrowser",
];

export default defineConfig({
  testDir: ".",
  testMatch: "**/*.spec.ts",
  outputDir: "../test-results",
  fullyParallel: true,
  workers: 2,
  forbidOnly: !!process.env.CI,
  retries: 0,
  timeout: 30_000,
  expect: { timeout: 10_000 },
  reporter: [["list"]],
  use: {
    baseURL: `http://localhost:${PORT}`,
    browserName: "chromium",
    headless: true,
    // Recording a trace for every test cost a fifth of the suite's time, so none is recorded on the
    // first run; e2e/tools/run-tests.mjs runs a failed test again with `--trace on` (or pass
    // `--trace on` yourself). A screenshot is only taken when a test fails.
    trace: "off",
    screenshot: "only-on-failure",
    launchOptions: { executablePath: chromiumExecutable(), args: ["--disable-gpu"] },
  },
  projects: [
    // The reliability specs run their own servers: `npm run test:reliability` (e2e/reliability/playwright.config.ts).
    {
      name: "chromium",
      testIgnore: [/short-ttl\.spec\.ts$/, /layout-stability\.spec\.ts$/, /(^|\/)spc\.spec\.ts$/, /reliability\//],
    },
    // The browser's own payment dialog (e2e/spc.spec.ts); the chromium project above runs without it.
    {
      name: "spc",
      testMatch: /(^|\/)spc\.spec\.ts$/,
      use: {
        launchOptions: {
          executablePath: chromiumExecutable({ full: true }),
          args: ["--disable-gpu", `--enable-features=${SPC_FEATURES.join(",")}`],
        },
      },
    },
    // Expiry is tested against a second server whose step-up intents live 3 s (the env, not a clock hack).
    { name: "short-ttl", testMatch: /short-ttl\.spec\.ts$/, use: { baseURL: `http://localhost:${SHORT_TTL_PORT}` } },
    // Layout stability is measured last, on its own (its file runs serially): a page's own late content
    // is what it looks for, not the other worker's browser competing for the same two cores.
    { name: "layout", testMatch: /layout-stability\.spec\.ts$/, dependencies: ["chromium", "short-ttl", "spc"] },
  ],
  webServer: [
    // Listed first: the main server's worker delivers to it from its start.
    smtpCatcher,
    idpServer,
    server(PORT, E2E_DATABASE_URL, "300", { ...SSO_ENV, ...MAIL_ENV }),
    server(SHORT_TTL_PORT, SHORT_TTL_DATABASE_URL, "3"),
  ],
});

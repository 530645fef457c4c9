import path from "node:path";
import { defineConfig } from "@playwright/test";
import e2e from "../playwright.config";

/**
 * Reliability tests (issue 5): each spec starts and stops its own production servers (`next start`
 * on a prebuilt app, ports 3200-3299, 127.0.0.1) on databases of its own, so there is no webServer
 * here. `npm run test:reliability` builds first. The PostgreSQL variants need TEST_DATABASE_URL.
 *
 * One worker: the specs measure the app under load on a small machine, and each already runs up to
 * 32 requests at once against its servers.
 */
export default defineConfig({
  testDir: ".",
  testMatch: "*.spec.ts",
  outputDir: path.join(import.meta.dirname, "../../test-results/reliability"),
  workers: 1,
  forbidOnly: !!process.env.CI,
  retries: 0,
  timeout: 180_000,
  expect: { timeout: 15_000 },
  reporter: [["list"]],
  use: {
    browserName: "chromium",
    headless: true,
    trace: "retain-on-failure",
    // The same browser resolution as the e2e suite (CHROMIUM_PATH, Debian's chromium, or Playwright's).
    launchOptions: e2e.use?.launchOptions,
  },
});

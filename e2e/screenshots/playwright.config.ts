import { defineConfig } from "@playwright/test";
import e2e from "../playwright.config";

/**
 * `npm run screenshots`: the README's pictures, taken from the production build by Playwright in
 * Chromium with the e2e suite's server, so they show the app as it is. Not part of `npm test`.
 */
const [mainServer] = Array.isArray(e2e.webServer) ? e2e.webServer : [e2e.webServer!];

export default defineConfig({
  ...e2e,
  testDir: ".",
  testMatch: "*.shots.ts",
  outputDir: "../../test-results/screenshots",
  workers: 1,
  projects: [{ name: "screenshots" }],
  webServer: mainServer,
});

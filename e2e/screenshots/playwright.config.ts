import { defineConfig } from "@playwright/test";
import e2e from "../playwright.config";

/**
 * `npm run screenshots`: the README's pictures, taken from the production build by Playwright in
 * Chromium with the e2e suite's server, so they show the app as it is. Not part of `npm test`.
 */
// The app server (the one whose readiness is /api/health), wherever it sits in the list: the test
// IdP is listed first.
const servers = Array.isArray(e2e.webServer) ? e2e.webServer : [e2e.webServer!];
const mainServer = servers.find((server) => server.url?.endsWith("/api/health")) ?? servers[0];
// The SMTP catcher the main server mails to (the security email's picture is taken from it).
const smtpCatcher = servers.find((server) => server.command?.includes("smtp-catcher"));

export default defineConfig({
  ...e2e,
  testDir: ".",
  testMatch: "*.shots.ts",
  outputDir: "../../test-results/screenshots",
  workers: 1,
  projects: [{ name: "screenshots" }],
  webServer: smtpCatcher ? [smtpCatcher, mainServer] : mainServer,
});

import { existsSync, mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { defineConfig, devices } from "@playwright/test";

/**
 * End-to-end tests in Chromium against a production build on a fresh embedded database.
 * Debian's /usr/bin/chromium is used when present; otherwise Playwright's own (`npx playwright install chromium`).
 */
const port = Number(process.env.E2E_PORT ?? 3210);
const baseURL = `http://127.0.0.1:${port}`;
const systemChromium = "/usr/bin/chromium";
process.env.E2E_DATA_DIR ??= mkdtempSync(path.join(os.tmpdir(), "bullpen-e2e-"));

export default defineConfig({
  testDir: "e2e",
  outputDir: "test-results",
  fullyParallel: true,
  workers: 2,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [["list"]] : [["list"], ["html", { open: "never" }]],
  use: {
    baseURL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    ...devices["Desktop Chrome"],
    viewport: { width: 1280, height: 800 },
    launchOptions: {
      executablePath: existsSync(systemChromium) ? systemChromium : undefined,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  // The real-data spec imports real bars into the one database every spec shares, which changes what the Start
  // dialog and the data summaries say: it runs after all the others (a project that depends on them).
  projects: [
    { name: "desk", testIgnore: /real-data\.spec\.ts$/ },
    { name: "real-data", testMatch: /real-data\.spec\.ts$/, dependencies: ["desk"] },
  ],
  webServer: {
    // `npm start` builds first unless .next holds the build of these sources (scripts/build.ts).
    command: "npm start",
    url: `${baseURL}/sign-in`,
    timeout: 300_000,
    reuseExistingServer: false,
    // Stopped as Ctrl-C stops it (workers, then PostgreSQL); a SIGKILL would leave the embedded PostgreSQL running.
    gracefulShutdown: { signal: "SIGINT", timeout: 45_000 },
    stdout: "pipe",
    env: {
      PORT: String(port),
      BULLPEN_DATA_DIR: process.env.E2E_DATA_DIR,
      // The suite signs up and signs in many users from one address, and starts many sessions.
      AUTH_RATE_LIMIT_PER_MINUTE: "1000",
      RATE_LIMIT_SIGN_INS_PER_MINUTE: "10000",
      RATE_LIMIT_SIGN_UPS_PER_HOUR: "10000",
      RATE_LIMIT_REFRESHES_PER_MINUTE: "10000",
      RATE_LIMIT_SESSIONS_PER_HOUR: "10000",
      RATE_LIMIT_CHAT_PER_MINUTE: "1000",
      ADMIN_EMAILS: "auditor@bullpen.test",
      NEXT_TELEMETRY_DISABLED: "1",
      DATABASE_URL: "",
      // The model form lists the models of configured providers: OpenRouter is configured (with a placeholder
      // key no test calls it with: e2e/fixtures.ts E2E_OPENROUTER_KEY), the others are not, whatever the shell has.
      OPENROUTER_API_KEY: "sk-or-e2e-placeholder-never-sent",
      OPENAI_API_KEY: "",
      COMPATIBLE_BASE_URL: "",
    },
  },
});

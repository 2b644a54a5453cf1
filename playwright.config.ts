import { defineConfig, devices } from "@playwright/test";

// The server is started by tests/e2e/run.ts, which passes its address in E2E_BASE_URL and its database in
// E2E_DATABASE_URL (where tests/e2e/fixtures.ts makes each test's own data).
const chromium = {
  ...devices["Desktop Chrome"],
  launchOptions: {
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    // This machine refuses outside connections, so keep Chromium from trying to make any.
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  },
};

/** Specs that never open a browser (only `request` / `playwright.request`): they run once, not per JS mode. */
const NO_BROWSER = /(http-contract|production-server|faults)\.spec\.ts$/;

export default defineConfig({
  testDir: "tests/e2e",
  workers: 2,
  // Every test makes its own data (tests/e2e/fixtures.ts), so tests run in any order, side by side.
  fullyParallel: true,
  retries: 0,
  reporter: "list",
  forbidOnly: !!process.env.CI,
  use: {
    baseURL: process.env.E2E_BASE_URL,
    trace: "retain-on-failure",
  },
  projects: [
    { name: "http", testMatch: NO_BROWSER },
    // Every browser spec runs twice: once with JavaScript, once as progressive enhancement must work without it.
    // The two run side by side: they share no data, and the one test that changes studio-wide settings takes
    // a lock and restores them (the `studioSettings` fixture).
    { name: "js-on", testIgnore: NO_BROWSER, use: { ...chromium } },
    { name: "js-off", testIgnore: NO_BROWSER, use: { ...chromium, javaScriptEnabled: false } },
  ],
});

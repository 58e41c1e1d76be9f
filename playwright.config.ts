import { defineConfig, devices } from "@playwright/test";

/** Debian's Chromium (no browser downloads); Playwright's own builds are never fetched. */
export const chromium = {
  executablePath: "/usr/bin/chromium",
  args: [
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-sandbox",
  ],
};

/**
 * End-to-end tests against the production build (`next build` first): the
 * global setup starts a Redis and the app on free loopback ports and tells
 * the workers the app's URL through E2E_BASE_URL.
 */
export default defineConfig({
  testDir: "e2e",
  workers: 1,
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: 0,
  timeout: 30_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [["list"], ["html", { open: "never" }]] : "list",
  globalSetup: "./e2e/global-setup.ts",
  globalTeardown: "./e2e/global-teardown.ts",
  outputDir: "test-results",
  use: {
    ...devices["Desktop Chrome"],
    launchOptions: chromium,
    trace: "retain-on-failure",
  },
});

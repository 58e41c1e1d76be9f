import { resolve } from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    alias: {
      "server-only": resolve(import.meta.dirname, "tests/support/empty.ts"),
      "@": resolve(import.meta.dirname),
    },
  },
  test: {
    include: ["lib/**/*.test.ts", "i18n/**/*.test.ts", "tests/**/*.test.ts"],
    globalSetup: ["tests/support/global-setup.ts"],
    env: { LOG_LEVEL: "silent", NODE_ENV: "test" },
    // Suites share one Redis and start servers: run files one at a time (2-core machines).
    fileParallelism: false,
    testTimeout: 30_000,
    hookTimeout: 90_000,
  },
});

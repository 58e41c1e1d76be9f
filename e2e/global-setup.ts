import type { FullConfig } from "@playwright/test";
import { startApp } from "../tests/support/app-server";
import { startRedis } from "../tests/support/redis-server";
import { setStack } from "./stack";

/** One Redis and one app for the whole run; tests that need other settings start their own. */
export default async function globalSetup(_config: FullConfig) {
  const redis = await startRedis();
  const app = await startApp({
    REDIS_URL: redis.url,
    // Quick polls (under the per-ticket status limit of 120/min), and every
    // test's desktop comes from 127.0.0.1: lift the per-IP creation limit.
    QRL_POLL_INTERVAL_MS: "400",
    QRL_RATE_CREATE_PER_MIN: "1000",
  });
  setStack({ redis, app });
  // Workers inherit the environment the global setup leaves behind.
  process.env.E2E_BASE_URL = app.url;
}

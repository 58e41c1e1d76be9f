import type { AppServer } from "../tests/support/app-server";
import type { RedisServer } from "../tests/support/redis-server";

/** The servers the global setup started, for the global teardown (same process). */
interface Stack {
  redis: RedisServer;
  app: AppServer;
}

const holder = globalThis as unknown as { qrlE2eStack?: Stack };

export const setStack = (stack: Stack) => {
  holder.qrlE2eStack = stack;
};

export const getStack = () => holder.qrlE2eStack;

/** The app the global setup started (in a worker: from the environment it left). */
export function baseUrl(): string {
  const url = process.env.E2E_BASE_URL;
  if (!url) throw new Error("E2E_BASE_URL is not set: run the tests through playwright.config.ts");
  return url;
}

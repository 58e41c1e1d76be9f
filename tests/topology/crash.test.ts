import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { LoginTraffic } from "../support/login-traffic";
import { until } from "../support/redis-sentinel";
import { type Stack, startStack } from "../support/topology";
import { expectFailoverReport, LOGINS_PER_SECOND } from "./failover-checks";

/**
 * An instance dies (SIGKILL: no drain) under login traffic through nginx.
 * The long-polls it held are passed to the other instance by nginx (a GET
 * is safe to resend); a POST it had taken comes back as a 503 and is retried
 * by its client (scan and confirm are idempotent for the same phone).
 */

let stack: Stack;

beforeAll(async () => {
  stack = await startStack({ REDIS_URL: `${inject("redisUrl")}/6` });
});

afterAll(async () => {
  await stack?.stop();
});

describe("an instance crashes under login traffic", { timeout: 180_000 }, () => {
  it("moves the desktops and phones to the other instance, and takes the instance back", async () => {
    const traffic = new LoginTraffic({ baseUrl: stack.url, perSecond: LOGINS_PER_SECOND });
    await traffic.start();
    try {
      await traffic.waitForLogins(20);
      await stack.kill(0);
      const crashedAt = Date.now();
      await traffic.waitForLogins(20, crashedAt);
      const before = await stack.served(0);
      await stack.start(0);
      await until("the restarted instance to take requests", async () => {
        return (await stack.served(0)) > before;
      });
      await traffic.waitForLogins(10, Date.now());
    } finally {
      const report = await traffic.stop();
      console.info("crash:", JSON.stringify(report));
      expectFailoverReport(report);
    }
    expect(stack.apps[1]?.exitCode()).toBeNull();
  });
});

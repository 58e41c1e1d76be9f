import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LoginTraffic } from "../support/login-traffic";
import { type RedisSentinelSet, startRedisSentinel } from "../support/redis-sentinel";
import { type Stack, startStack } from "../support/topology";
import { expectFailoverReport, LOGINS_PER_SECOND } from "./failover-checks";

/**
 * Redis under Sentinel (a primary, a replica, three Sentinels) behind two
 * instances and nginx: the primary is killed under login traffic. Requests
 * in between get a quick 503, never a hang or another 5xx; no session goes
 * to the wrong browser; logins resume on the promoted replica with the same
 * app processes.
 */

let redis: RedisSentinelSet;
let stack: Stack;

beforeAll(async () => {
  redis = await startRedisSentinel();
  stack = await startStack({ REDIS_SENTINELS: redis.sentinels, REDIS_SENTINEL_NAME: redis.name });
});

afterAll(async () => {
  await stack?.stop();
  await redis?.stop();
});

describe("Sentinel failover under login traffic", { timeout: 180_000 }, () => {
  it("answers 503 while the primary is gone and resumes on the promoted replica", async () => {
    const traffic = new LoginTraffic({ baseUrl: stack.url, perSecond: LOGINS_PER_SECOND });
    await traffic.start();
    let failover = { from: 0, to: 0 };
    try {
      await traffic.waitForLogins(20);
      failover = await redis.killPrimary();
      await traffic.waitForLogins(20, Date.now());
    } finally {
      const report = await traffic.stop();
      console.info("Sentinel failover:", JSON.stringify({ failover, ...report }));
      expectFailoverReport(report);
    }
    expect(failover.to).not.toBe(failover.from);
    // Recovered without a restart: the instances that started are the ones still running.
    expect(stack.apps.map((a) => a.exitCode())).toEqual([null, null]);
  });
});

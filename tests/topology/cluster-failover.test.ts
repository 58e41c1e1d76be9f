import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LoginTraffic } from "../support/login-traffic";
import { type RedisCluster, startRedisCluster } from "../support/redis-cluster";
import { type Stack, startStack } from "../support/topology";
import { expectFailoverReport, LOGINS_PER_SECOND } from "./failover-checks";

/**
 * Redis Cluster with 3 primaries and 3 replicas behind two instances and
 * nginx: one primary is killed under login traffic; its replica is promoted
 * and logins resume with the same app processes.
 */

let cluster: RedisCluster;
let stack: Stack;

beforeAll(async () => {
  cluster = await startRedisCluster({ replicas: 1 });
  stack = await startStack({
    REDIS_CLUSTER_NODES: cluster.nodes.map((n) => `${n.host}:${n.port}`).join(","),
  });
});

afterAll(async () => {
  await stack?.stop();
  await cluster?.stop();
});

describe("Redis Cluster failover under login traffic", { timeout: 180_000 }, () => {
  it("answers 503 for the lost primary's slots and resumes on its promoted replica", async () => {
    const traffic = new LoginTraffic({ baseUrl: stack.url, perSecond: LOGINS_PER_SECOND });
    await traffic.start();
    let failover = { from: 0, to: 0 };
    try {
      await traffic.waitForLogins(20);
      failover = await cluster.killPrimary();
      await traffic.waitForLogins(20, Date.now());
    } finally {
      const report = await traffic.stop();
      console.info("Cluster failover:", JSON.stringify({ failover, ...report }));
      expectFailoverReport(report);
    }
    expect(failover.to).not.toBe(failover.from);
    expect(stack.apps.map((a) => a.exitCode())).toEqual([null, null]);
  });
});

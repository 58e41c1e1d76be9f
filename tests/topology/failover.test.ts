import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LoginTraffic } from "../support/login-traffic";
import { startRedisCluster } from "../support/redis-cluster";
import { startRedisSentinel } from "../support/redis-sentinel";
import { type Stack, startStack } from "../support/topology";
import { expectFailoverReport, LOGINS_PER_SECOND } from "./failover-checks";

/** A Redis topology with a primary to kill: the settings that point the app at it. */
interface Topology {
  env: Record<string, string>;
  killPrimary(): Promise<{ from: number; to: number }>;
  stop(): Promise<void>;
}

/**
 * Redis behind two instances and nginx, its primary killed under login
 * traffic, for each topology the app supports with a replica to promote:
 * Sentinel (a primary, a replica, three Sentinels) and Cluster (3 primaries,
 * 3 replicas). Requests in between get a quick 503, never a hang or another
 * 5xx; no session goes to the wrong browser; logins resume on the promoted
 * replica with the same app processes.
 */
const TOPOLOGIES: Record<string, () => Promise<Topology>> = {
  Sentinel: async () => {
    const redis = await startRedisSentinel();
    return {
      env: { REDIS_SENTINELS: redis.sentinels, REDIS_SENTINEL_NAME: redis.name },
      killPrimary: () => redis.killPrimary(),
      stop: () => redis.stop(),
    };
  },
  "Redis Cluster": async () => {
    const cluster = await startRedisCluster({ replicas: 1 });
    return {
      env: { REDIS_CLUSTER_NODES: cluster.nodes.map((n) => `${n.host}:${n.port}`).join(",") },
      killPrimary: () => cluster.killPrimary(),
      stop: () => cluster.stop(),
    };
  },
};

for (const [name, start] of Object.entries(TOPOLOGIES)) {
  describe(`${name} failover under login traffic`, { timeout: 180_000 }, () => {
    let topology: Topology | undefined;
    let stack: Stack | undefined;

    beforeAll(async () => {
      topology = await start();
      stack = await startStack(topology.env);
    });
    afterAll(async () => {
      await stack?.stop();
      await topology?.stop();
    });

    it("answers 503 while a primary is gone and resumes on its promoted replica", async () => {
      if (!stack || !topology) throw new Error("the stack did not start");
      const traffic = new LoginTraffic({ baseUrl: stack.url, perSecond: LOGINS_PER_SECOND });
      await traffic.start();
      let failover = { from: 0, to: 0 };
      try {
        await traffic.waitForLogins(20);
        failover = await topology.killPrimary();
        await traffic.waitForLogins(20, Date.now());
      } finally {
        const report = await traffic.stop();
        console.info(`${name} failover:`, JSON.stringify({ failover, ...report }));
        expectFailoverReport(report);
      }
      expect(failover.to).not.toBe(failover.from);
      // Recovered without a restart: the instances that started are the ones still running.
      expect(stack.apps.map((a) => a.exitCode())).toEqual([null, null]);
    });
  });
}

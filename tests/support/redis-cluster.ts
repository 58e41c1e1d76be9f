import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { until } from "./redis-sentinel";
import { freePort, type RedisServer, startRedis } from "./redis-server";

const run = promisify(execFile);

export interface RedisCluster {
  nodes: { host: string; port: number }[];
  /** SIGKILLs the primary of slot 0; resolves once its replica took over and the cluster is ok. */
  killPrimary(): Promise<{ from: number; to: number }>;
  stop(): Promise<void>;
}

const cli = async (port: number, ...args: string[]) =>
  (await run("redis-cli", ["-p", String(port), ...args])).stdout;

/**
 * A Redis Cluster of real redis-server processes on loopback: 3 primaries,
 * and with `replicas: 1` one replica each (a short node timeout, so a dead
 * primary's replica is promoted within seconds).
 */
export async function startRedisCluster(o: { replicas?: 0 | 1 } = {}): Promise<RedisCluster> {
  const replicas = o.replicas ?? 0;
  const servers: RedisServer[] = [];
  for (let i = 0; i < 3 * (1 + replicas); i++) {
    servers.push(
      await startRedis(await freePort(), [
        "--cluster-enabled",
        "yes",
        "--cluster-config-file",
        `nodes-${process.pid}-${Date.now()}-${i}.conf`,
        "--cluster-node-timeout",
        "1000",
      ]),
    );
  }
  const addresses = servers.map((s) => `127.0.0.1:${s.port}`);
  await run("redis-cli", [
    "--cluster",
    "create",
    ...addresses,
    "--cluster-replicas",
    String(replicas),
    "--cluster-yes",
  ]);
  const live = () => servers.filter((s) => !dead.has(s.port));
  const dead = new Set<number>();
  const clusterOk = async () => {
    const states = await Promise.all(live().map((s) => cli(s.port, "cluster", "info")));
    return states.every((info) => info.includes("cluster_state:ok"));
  };
  await until("the cluster to form", clusterOk);
  if (replicas > 0) {
    await until("every replica to sync", async () => {
      const infos = await Promise.all(servers.map((s) => cli(s.port, "info", "replication")));
      const synced = infos.filter((i) => i.includes("master_link_status:up"));
      return synced.length === 3;
    });
  }
  /** The port serving slot 0 as primary, as `node` sees the cluster. */
  const ownerOfSlot0 = async (node: number) => {
    const slots = await cli(node, "cluster", "shards");
    // CLUSTER SHARDS (Redis 7): find the shard whose slots start at 0, then its master.
    const shard = slots.split(/\n(?=slots\n)/).find((s) => /^slots\n0\n/.test(s));
    const master = shard?.match(/port\n(\d+)\n(?:[^\n]*\n){0,12}?role\nmaster\n/);
    return Number(master?.[1]);
  };
  return {
    nodes: servers.map((s) => ({ host: "127.0.0.1", port: s.port })),
    async killPrimary() {
      const from = await ownerOfSlot0(servers[0]?.port ?? 0);
      dead.add(from);
      await servers.find((s) => s.port === from)?.stop();
      let to = from;
      await until("a replica to take over", async () => {
        const node = live()[0]?.port ?? 0;
        to = await ownerOfSlot0(node);
        return Number.isFinite(to) && to !== from && (await clusterOk());
      });
      return { from, to };
    },
    stop: async () => void (await Promise.all(servers.map((s) => s.stop()))),
  };
}

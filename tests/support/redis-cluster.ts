import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { freePort, type RedisServer, startRedis } from "./redis-server";

const run = promisify(execFile);

export interface RedisCluster {
  nodes: { host: string; port: number }[];
  stop(): Promise<void>;
}

/** A 3-master Redis Cluster of real redis-server processes on loopback (no replicas). */
export async function startRedisCluster(): Promise<RedisCluster> {
  const servers: RedisServer[] = [];
  for (let i = 0; i < 3; i++) {
    servers.push(
      await startRedis(await freePort(), [
        "--cluster-enabled",
        "yes",
        "--cluster-config-file",
        `nodes-${process.pid}-${Date.now()}-${i}.conf`,
        "--dir",
        "/tmp",
      ]),
    );
  }
  const addresses = servers.map((s) => `127.0.0.1:${s.port}`);
  await run("redis-cli", [
    "--cluster",
    "create",
    ...addresses,
    "--cluster-replicas",
    "0",
    "--cluster-yes",
  ]);
  for (let i = 0; i < 100; i++) {
    const states = await Promise.all(
      servers.map(
        async (s) => (await run("redis-cli", ["-p", String(s.port), "cluster", "info"])).stdout,
      ),
    );
    if (states.every((info) => info.includes("cluster_state:ok"))) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    nodes: servers.map((s) => ({ host: "127.0.0.1", port: s.port })),
    stop: async () => void (await Promise.all(servers.map((s) => s.stop()))),
  };
}

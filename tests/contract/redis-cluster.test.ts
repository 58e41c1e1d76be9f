import { afterAll, beforeAll } from "vitest";
import { createRedisCluster } from "@/lib/redis";
import { RedisKv } from "@/lib/store/redis-kv";
import { type RedisCluster, startRedisCluster } from "../support/redis-cluster";
import { ticketContract } from "./ticket-contract";

let cluster: RedisCluster;
beforeAll(async () => {
  cluster = await startRedisCluster();
});
afterAll(async () => cluster?.stop());

ticketContract("Redis Cluster (3 masters)", async () => {
  const client = createRedisCluster(cluster.nodes, 2000);
  await new Promise((resolve) => client.once("ready", resolve));
  return { kv: new RedisKv(client, 2000), close: async () => void (await client.quit()) };
});

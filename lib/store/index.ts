import "server-only";
import { env } from "../env";
import { logger } from "../log";
import { createRedis, createRedisCluster } from "../redis";
import type { KvStore } from "./kv";
import { MemoryKv } from "./memory-kv";
import { RedisKv } from "./redis-kv";

export { type KvStore, StoreUnavailableError } from "./kv";

// One store (and so one Redis connection) per process, kept across dev reloads.
const cache = globalThis as unknown as { qrlStore?: KvStore };

function open(): KvStore {
  const e = env();
  const timeout = e.QRL_STORE_TIMEOUT_MS;
  if (e.store === "redis" && e.clusterNodes.length > 0) {
    logger().info({ store: "redis", nodes: e.clusterNodes.length }, "Store: Redis Cluster");
    return new RedisKv(createRedisCluster(e.clusterNodes, timeout), timeout);
  }
  if (e.store === "redis" && e.REDIS_URL) {
    logger().info({ store: "redis" }, "Store: Redis");
    return new RedisKv(createRedis(e.REDIS_URL, timeout), timeout);
  }
  logger().warn(
    { store: "memory" },
    "Store: embedded memory (no REDIS_URL): tickets live in this process only; run one instance",
  );
  return new MemoryKv();
}

export function store(): KvStore {
  cache.qrlStore ??= open();
  return cache.qrlStore;
}

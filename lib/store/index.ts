import "server-only";
import { env } from "../env";
import { logger } from "../log";
import { createRedis } from "../redis";
import type { KvStore } from "./kv";
import { MemoryKv } from "./memory-kv";
import { RedisKv } from "./redis-kv";

export { type KvStore, StoreUnavailableError } from "./kv";

// One store (and so one Redis connection) per process, kept across dev reloads.
const cache = globalThis as unknown as { qrlStore?: KvStore };

export function store(): KvStore {
  if (!cache.qrlStore) {
    const e = env();
    if (e.store === "redis" && e.REDIS_URL) {
      cache.qrlStore = new RedisKv(
        createRedis(e.REDIS_URL, e.QRL_STORE_TIMEOUT_MS),
        e.QRL_STORE_TIMEOUT_MS,
      );
      logger().info({ store: "redis" }, "Store: Redis");
    } else {
      cache.qrlStore = new MemoryKv();
      logger().warn(
        { store: "memory" },
        "Store: embedded memory (no REDIS_URL): tickets live in this process only; run one instance",
      );
    }
  }
  return cache.qrlStore;
}

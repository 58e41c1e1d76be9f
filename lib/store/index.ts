import "server-only";
import { env } from "../env";
import { logger } from "../log";
import { redis } from "../redis";
import { singleton } from "../registry";
import type { KvStore } from "./kv";
import { MemoryKv } from "./memory-kv";
import { RedisKv } from "./redis-kv";

export { type KvStore, StoreUnavailableError } from "./kv";

function open(): KvStore {
  const client = redis();
  if (client) return new RedisKv(client, env().QRL_STORE_TIMEOUT_MS);
  logger().warn(
    { store: "memory" },
    "Store: embedded memory (no REDIS_URL): tickets live in this process only; run one instance",
  );
  return new MemoryKv();
}

/** One store per process, kept across dev reloads. */
export const store = (): KvStore => singleton("store", open);

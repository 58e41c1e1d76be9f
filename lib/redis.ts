import "server-only";
import { Cluster, Redis, type RedisOptions } from "ioredis";
import { env } from "./env";
import { logger } from "./log";
import { singleton } from "./registry";

export type RedisClient = Redis | Cluster;

/**
 * Fail fast: no offline queue (a command sent while disconnected fails at
 * once), one retry per command, connect and command timeouts; reconnection
 * goes on in the background with a capped backoff.
 */
const options = (timeoutMs: number): RedisOptions => ({
  connectTimeout: 1000,
  // A backstop behind the store's own deadline (lib/store/deadline.ts), which decides.
  commandTimeout: timeoutMs * 10,
  maxRetriesPerRequest: 1,
  enableOfflineQueue: false,
  retryStrategy: (attempt) => Math.min(attempt * 100, 1000),
});

export function createRedis(url: string, timeoutMs: number): Redis {
  const client = new Redis(url, options(timeoutMs));
  // Errors surface on each command as a 503; the client keeps reconnecting.
  client.on("error", () => {});
  return client;
}

/** A Redis Cluster client; every key the app uses carries a hash tag, so each script hits one slot. */
export function createRedisCluster(
  nodes: { host: string; port: number }[],
  timeoutMs: number,
): Cluster {
  const cluster = new Cluster(nodes, {
    enableOfflineQueue: false,
    clusterRetryStrategy: (attempt) => Math.min(attempt * 100, 1000),
    slotsRefreshTimeout: 1000,
    redisOptions: options(timeoutMs),
  });
  cluster.on("error", () => {});
  return cluster;
}

function open(): RedisClient {
  const e = env();
  const timeout = e.QRL_STORE_TIMEOUT_MS;
  if (e.clusterNodes.length > 0) {
    logger().info({ store: "redis", nodes: e.clusterNodes.length }, "Store: Redis Cluster");
    return createRedisCluster(e.clusterNodes, timeout);
  }
  logger().info({ store: "redis" }, "Store: Redis");
  return createRedis(e.REDIS_URL ?? "", timeout);
}

/**
 * The process's one Redis connection (the store and the rate limiters share
 * it; pub/sub takes one more), or null when the embedded memory store is used.
 */
export function redis(): RedisClient | null {
  return env().store === "redis" ? singleton("redis", open) : null;
}

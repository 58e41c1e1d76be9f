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
  // A node that became a replica under us (failover): reconnect (through the
  // Sentinels or the cluster's slot map) to whichever node is primary now;
  // the command itself fails as a 503 and the person's retry lands there.
  reconnectOnError: (error) => error.message.startsWith("READONLY"),
  ...passwordOption(),
});

/** REDIS_PASSWORD, when set (a password in REDIS_URL itself wins). */
function passwordOption(): { password?: string } {
  const password = env().REDIS_PASSWORD;
  return password ? { password } : {};
}

export function createRedis(url: string, timeoutMs: number): Redis {
  const client = new Redis(url, options(timeoutMs));
  // Errors surface on each command as a 503; the client keeps reconnecting.
  client.on("error", () => {});
  return logConnection(client);
}

const readyWaits = new WeakMap<RedisClient, Promise<void>>();

/**
 * Resolves once the client can take commands: undefined (no wait) when it
 * can now, else its next "ready". Without an offline queue, a command sent
 * while the connection is still being made (a new process's first requests,
 * a reconnect) fails at once; waiting for it under the caller's deadline
 * (lib/store/deadline.ts) serves it instead, and a Redis that does not come
 * back is still a 503 within that deadline. A client that was closed for
 * good ("end") is not waited for: its command fails.
 */
export function whenReady(client: RedisClient): Promise<void> | undefined {
  if (client.status === "ready" || client.status === "end") return undefined;
  let wait = readyWaits.get(client);
  if (!wait) {
    wait = new Promise<void>((resolve) =>
      client.once("ready", () => {
        readyWaits.delete(client);
        resolve();
      }),
    );
    readyWaits.set(client, wait);
  }
  return wait;
}

/** One line when the connection drops (with the last error) and one when it is back. */
function logConnection<C extends RedisClient>(client: C): C {
  let lastError: string | undefined;
  let lost = false;
  client.on("error", (error: Error) => {
    lastError = error.message;
  });
  client.on("close", () => {
    if (lost || client.status === "end") return;
    lost = true;
    logger().warn(
      { err: lastError },
      "Redis connection lost: reconnecting (commands answer 503 until it is back)",
    );
  });
  client.on("ready", () => {
    if (!lost) return;
    lost = false;
    logger().info("Redis connection back");
  });
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
  return logConnection(cluster);
}

/**
 * A Sentinel-managed primary, through ioredis's own Sentinel support: it asks
 * the Sentinels for the primary, checks the node's role, and asks again after
 * every disconnect; the failover detector drops the old primary as soon as a
 * Sentinel announces `+switch-master`. Commands sent in between fail at once
 * (no offline queue): a 503, and logins resume when a replica is promoted.
 */
export function createRedisSentinel(
  sentinels: { host: string; port: number }[],
  name: string,
  timeoutMs: number,
  sentinelPassword?: string,
): Redis {
  const client = new Redis({
    ...options(timeoutMs),
    sentinels,
    name,
    sentinelPassword,
    sentinelRetryStrategy: (attempt) => Math.min(attempt * 100, 1000),
    sentinelCommandTimeout: 1000,
    failoverDetector: true,
  });
  client.on("error", () => {});
  return logConnection(client);
}

function open(): RedisClient {
  const e = env();
  const timeout = e.QRL_STORE_TIMEOUT_MS;
  if (e.sentinels.length > 0) {
    logger().info(
      { store: "redis", sentinels: e.sentinels.length, name: e.REDIS_SENTINEL_NAME },
      "Store: Redis through Sentinel",
    );
    return createRedisSentinel(
      e.sentinels,
      e.REDIS_SENTINEL_NAME ?? "",
      timeout,
      e.REDIS_SENTINEL_PASSWORD,
    );
  }
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

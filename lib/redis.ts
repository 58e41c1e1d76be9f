import "server-only";
import { Cluster, Redis, type RedisOptions } from "ioredis";

/**
 * Fail fast: no offline queue (a command sent while disconnected fails at
 * once), one retry per command, connect and command timeouts; reconnection
 * goes on in the background with a capped backoff.
 */
const options = (timeoutMs: number): RedisOptions => ({
  connectTimeout: 1000,
  // A backstop behind RedisKv's own deadline, which decides (see RedisKv.run).
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

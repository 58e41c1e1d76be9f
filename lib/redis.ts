import "server-only";
import { Redis } from "ioredis";

/**
 * Creates an ioredis client that fails fast: no offline queue (a command sent
 * while disconnected fails at once), one retry per command, a connect and a
 * command timeout, and reconnection in the background with a capped backoff.
 */
export function createRedis(url: string, timeoutMs: number): Redis {
  const client = new Redis(url, {
    connectTimeout: 1000,
    commandTimeout: timeoutMs,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    retryStrategy: (attempt) => Math.min(attempt * 100, 1000),
  });
  // Errors surface on each command as a 503; the client keeps reconnecting.
  client.on("error", () => {});
  return client;
}

import { createConnection, createServer, type Server, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createRedis, type RedisClient } from "@/lib/redis";
import { RedisKv } from "@/lib/store/redis-kv";

/**
 * A loopback relay to the test Redis that holds back every answer on a
 * connection by `delays[i]` ms (the i-th connection it accepts): a slow
 * handshake, as on a busy instance starting up.
 */
async function slowRelay(target: URL, delays: number[]) {
  let accepted = 0;
  const sockets: Socket[] = [];
  const server: Server = createServer((client) => {
    const delay = delays[accepted++] ?? 0;
    const redis = createConnection(Number(target.port), target.hostname);
    sockets.push(client, redis);
    client.on("data", (chunk) => redis.write(chunk));
    redis.on("data", (chunk) => setTimeout(() => client.write(chunk), delay));
    const close = () => {
      client.destroy();
      redis.destroy();
    };
    client.on("close", close).on("error", close);
    // Redis's side closing (QUIT) ends the client's once the held-back answers are out.
    redis.on("close", () => setTimeout(close, delay + 10)).on("error", close);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: `redis://127.0.0.1:${port}`,
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * A subscription asked for while the store's connections are still being made
 * (an instance's first moments: it subscribes at once) is live when
 * `subscribe` resolves and stays live. The store's own connection got ready
 * first and the subscriber's handshake was still under way: a SUBSCRIBE
 * written then failed that handshake's ready check, and ioredis remade the
 * connection without the subscription, so the instance heard nothing.
 */
describe("RedisKv.subscribe while its connection is still being made", () => {
  let publisher: RedisClient;

  beforeAll(async () => {
    publisher = createRedis(inject("redisUrl"), 2000);
    await new Promise((resolve) => publisher.once("ready", resolve));
  });
  afterAll(async () => {
    await publisher.quit();
  });

  it("hears what is published once it resolves, and its connection is not remade", async () => {
    // The store's connection answers in 5 ms per reply, the subscriber's (made second) in 150 ms.
    const relay = await slowRelay(new URL(inject("redisUrl")), [5, 150]);
    const client = createRedis(relay.url, 5000);
    try {
      const channel = `qrl:test:{sub-${process.pid}}`;
      const heard: string[] = [];
      let resyncs = 0;
      const unsubscribe = await new RedisKv(client, 5000).subscribe(channel, {
        onMessage: (m) => heard.push(m),
        onResync: () => resyncs++,
      });
      await publisher.publish(channel, "after");
      await expect.poll(() => heard, { timeout: 3000, interval: 10 }).toEqual(["after"]);
      expect(resyncs).toBe(0);
      await unsubscribe();
    } finally {
      client.disconnect();
      await relay.close();
    }
  });
});

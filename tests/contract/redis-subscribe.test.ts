import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createRedis, type RedisClient } from "@/lib/redis";
import { RedisKv } from "@/lib/store/redis-kv";
import { slowRelay } from "../support/redis-relay";

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
    const relay = await slowRelay(new URL(inject("redisUrl")), { delays: [5, 150] });
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

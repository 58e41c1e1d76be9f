import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createRedis } from "@/lib/redis";
import { RedisKv } from "@/lib/store/redis-kv";

/**
 * The store deadline tells a Redis that did not answer from a process that
 * was too busy to read the answer: a reply already on the socket when the
 * deadline passes is used, not turned into a 503.
 */
describe("Redis store deadline", () => {
  const client = createRedis(inject("redisUrl"), 300);
  const kv = new RedisKv(client, 300);
  beforeAll(async () => {
    await new Promise((resolve) => client.once("ready", resolve));
    await kv.setString("qrl:test:deadline", "here", 60_000);
  });
  afterAll(() => client.disconnect());

  it("returns a reply that arrived while the event loop was blocked past the deadline", async () => {
    const pending = kv.getString("qrl:test:deadline");
    const until = Date.now() + 600;
    while (Date.now() < until) {
      // busy: the reply lands on the socket while the loop cannot read it
    }
    await expect(pending).resolves.toBe("here");
  });
});

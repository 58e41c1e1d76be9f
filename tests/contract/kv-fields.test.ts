import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createRedis } from "@/lib/redis";
import type { KvStore } from "@/lib/store/kv";
import { MemoryKv } from "@/lib/store/memory-kv";
import { RedisKv } from "@/lib/store/redis-kv";

/** The hash-field and capped-list primitives (web sessions, history) behave alike in both stores. */
const stores: Array<[string, () => Promise<{ kv: KvStore; close(): Promise<void> }>]> = [
  [
    "memory",
    async () => {
      const kv = new MemoryKv();
      return { kv, close: async () => kv.close() };
    },
  ],
  [
    "Redis",
    async () => {
      const client = createRedis(inject("redisUrl"), 2000);
      await new Promise((resolve) => client.once("ready", resolve));
      return { kv: new RedisKv(client, 2000), close: async () => void (await client.quit()) };
    },
  ],
];

for (const [name, open] of stores) {
  describe(`hash fields and capped lists (${name})`, () => {
    let fixture: { kv: KvStore; close(): Promise<void> };
    let n = 0;
    const key = (kind: string) => `qrl:test:{kv-${process.pid}-${Date.now()}-${n++}}:${kind}`;

    beforeAll(async () => {
      fixture = await open();
    });
    afterAll(async () => fixture?.close());

    it("sets, reads and deletes one field, with a lifetime for the hash", async () => {
      const { kv } = fixture;
      const k = key("hash");
      expect(await kv.getField(k, "a")).toBeNull();
      expect(await kv.setField(k, "a", "1", 60_000)).toBe(true);
      expect(await kv.setField(k, "b", "2", 60_000)).toBe(true);
      expect(await kv.getField(k, "a")).toBe("1");
      expect(await kv.getHash(k)).toEqual({ a: "1", b: "2" });
      const ttl = await kv.pttl(k);
      expect(ttl).toBeGreaterThan(50_000);
      expect(ttl).toBeLessThanOrEqual(60_000);
      expect(await kv.deleteField(k, "a")).toBe(true);
      expect(await kv.deleteField(k, "a")).toBe(false);
      expect(await kv.getField(k, "a")).toBeNull();
      expect(await kv.deleteField(k, "b")).toBe(true);
      expect(await kv.getHash(k)).toBeNull();
    });

    it("updates only an existing field with onlyIfPresent (never revives a deleted one)", async () => {
      const { kv } = fixture;
      const k = key("hash");
      expect(await kv.setField(k, "s", "old", 60_000, true)).toBe(false);
      expect(await kv.getHash(k)).toBeNull();
      await kv.setField(k, "s", "old", 60_000);
      expect(await kv.setField(k, "s", "new", 120_000, true)).toBe(true);
      expect(await kv.getField(k, "s")).toBe("new");
      expect(await kv.pttl(k)).toBeGreaterThan(60_000);
      await kv.deleteField(k, "s");
      expect(await kv.setField(k, "s", "again", 60_000, true)).toBe(false);
      expect(await kv.getField(k, "s")).toBeNull();
    });

    it("keeps the newest entries of a capped list, newest first", async () => {
      const { kv } = fixture;
      const k = key("list");
      expect(await kv.listHead(k, 10)).toEqual([]);
      for (let i = 1; i <= 7; i++) await kv.pushCapped(k, `e${i}`, 5, 60_000);
      expect(await kv.listHead(k, 10)).toEqual(["e7", "e6", "e5", "e4", "e3"]);
      expect(await kv.listHead(k, 2)).toEqual(["e7", "e6"]);
      expect(await kv.pttl(k)).toBeGreaterThan(50_000);
    });
  });
}

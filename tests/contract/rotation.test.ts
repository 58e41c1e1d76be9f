import { afterEach, beforeEach, describe, expect, inject, it } from "vitest";
import { createRedis } from "@/lib/redis";
import type { KvStore } from "@/lib/store/kv";
import { MemoryKv } from "@/lib/store/memory-kv";
import { RedisKv } from "@/lib/store/redis-kv";
import { type Lifetimes, nextRotationAt } from "@/lib/tickets/machine";
import { currentQrToken } from "@/lib/tickets/qr-token";
import { TicketService } from "@/lib/tickets/service";
import { LIFETIMES, rejection, TestClock } from "./ticket-contract";

const ROTATING: Lifetimes = { ...LIFETIMES, rotationMs: 25_000, rotationGraceMs: 5_000 };
const requester = { ip: "203.0.113.7", userAgent: "Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0" };

type Open = (clock: TestClock) => Promise<{ kv: KvStore; close(): Promise<void> }>;

/** The store's writes and publishes, counted as they pass (the real store still does the work). */
function counting(kv: KvStore) {
  const writes: string[] = [];
  const counted = new Proxy(kv, {
    get(target, name, receiver) {
      const value = Reflect.get(target, name, receiver);
      if (typeof value !== "function") return value;
      const write = [
        "createHash",
        "casHash",
        "setString",
        "del",
        "setField",
        "deleteField",
        "pushCapped",
        "publish",
      ];
      return (...args: unknown[]) => {
        if (write.includes(String(name))) writes.push(`${String(name)} ${String(args[0])}`);
        return value.apply(target, args);
      };
    },
  });
  return { kv: counted, writes };
}

/**
 * QR rotation without writes (issue #25, RFC 10027 "short-lived codes") on
 * every store: the QR's token is derived from the ticket's key and the
 * rotation slot, so rotating writes and publishes nothing and keeps the
 * version; a replaced QR never scans, unless this phone opened it while it
 * did (issue #20: the person signing in on the phone keeps their request).
 */
function rotationContract(name: string, open: Open) {
  describe(`QR rotation: ${name}`, () => {
    let clock: TestClock;
    let fixture: Awaited<ReturnType<Open>>;
    let service: TicketService;
    let writes: string[];

    beforeEach(async () => {
      clock = new TestClock();
      fixture = await open(clock);
      const c = counting(fixture.kv);
      writes = c.writes;
      service = new TicketService(c.kv, ROTATING, clock.now);
    });
    afterEach(async () => fixture.close());

    const tokenNow = async (id: string) => {
      const t = await service.get(id);
      if (!t) throw new Error("no ticket");
      return currentQrToken(t, clock.now(), ROTATING);
    };

    it("writes and publishes nothing while 20 desktops wait through two rotations, and keeps each version", async () => {
      const made = await Promise.all(Array.from({ length: 20 }, () => service.create(requester)));
      writes.length = 0;
      const seen = new Map<string, Set<string>>();
      for (let step = 0; step < 3; step++) {
        for (const { ticket, secret } of made) {
          const read = await service.readAsRequester(ticket.id, secret);
          expect(read).toMatchObject({ state: "pending", ticket: { version: 1 } });
          const tokens = seen.get(ticket.id) ?? new Set();
          tokens.add(await tokenNow(ticket.id));
          seen.set(ticket.id, tokens);
          expect(nextRotationAt(read?.ticket ?? ticket, clock.now(), ROTATING)).toBeGreaterThan(
            clock.now(),
          );
        }
        clock.advance(ROTATING.rotationMs ?? 0);
      }
      expect(writes).toEqual([]);
      // Three slots, three different QRs per ticket, and no two tickets alike.
      for (const tokens of seen.values()) expect(tokens.size).toBe(3);
      expect(new Set([...seen.values()].flatMap((t) => [...t])).size).toBe(60);
    });

    it("the first QR carries a token, and an old QR never scans: the refusal changes nothing", async () => {
      const { ticket } = await service.create(requester);
      const first = await tokenNow(ticket.id);
      expect(first).toMatch(/^0\.[A-Za-z0-9_-]{16}$/);
      clock.advance(ROTATING.rotationMs ?? 0);
      const second = await tokenNow(ticket.id);
      clock.advance(ROTATING.rotationMs ?? 0);
      const third = await tokenNow(ticket.id);
      expect(new Set([first, second, third]).size).toBe(3);
      clock.advance((ROTATING.rotationGraceMs ?? 0) + 1);

      const before = await service.get(ticket.id);
      // No token, the first two QRs (past their grace), a made-up token.
      for (const token of ["", first, second, `2.${"A".repeat(16)}`]) {
        expect(await rejection(service.scan(ticket.id, "demo-alice", undefined, token))).toBe(
          "qr_replaced",
        );
      }
      expect(await service.get(ticket.id)).toEqual(before);
      expect(await service.scan(ticket.id, "demo-alice", undefined, third)).toMatchObject({
        state: "scanned",
        userId: "demo-alice",
      });
    });

    it("lets the replaced QR scan only within the grace period (the phone was already opening it)", async () => {
      const { ticket } = await service.create(requester);
      const first = await tokenNow(ticket.id);
      clock.advance((ROTATING.rotationMs ?? 0) + (ROTATING.rotationGraceMs ?? 0) - 1);
      expect(await service.scan(ticket.id, "demo-alice", undefined, first)).toMatchObject({
        state: "scanned",
      });
    });

    it("keeps the QR a phone opened through its sign-in, for the ticket's life", async () => {
      const { ticket, secret } = await service.create(requester);
      clock.advance(10_000);
      const opened = clock.now();
      const token = await tokenNow(ticket.id);
      // 40 s of signing in on the phone: two rotations later.
      clock.advance(40_000);
      // Without the phone's own record of opening it, the QR is a replaced one.
      expect(await rejection(service.scan(ticket.id, "demo-alice", undefined, token))).toBe(
        "qr_replaced",
      );
      expect(await service.scan(ticket.id, "demo-alice", undefined, token, opened)).toMatchObject({
        state: "scanned",
      });
      await service.confirm(ticket.id, "demo-alice");
      expect((await service.claim(ticket.id, secret)).state).toBe("consumed");
    });

    it("gives the typed code the token on screen now, and finds a code only while its desktop follows it", async () => {
      const { ticket } = await service.create(requester);
      expect(await service.findFollowedByUserCode(ticket.userCode)).toBeNull();
      await service.markFollowed(ticket.id);
      expect(await service.findFollowedByUserCode(ticket.userCode)).toBe(ticket.id);
      clock.advance(20_000);
      const token = await service.qrTokenForCode(ticket.id);
      expect(token).toBe(await tokenNow(ticket.id));
      expect((await service.get(ticket.id))?.version).toBe(1);
      expect(await service.scan(ticket.id, "demo-alice", undefined, token ?? "")).toMatchObject({
        state: "scanned",
      });
    });
  });
}

rotationContract("embedded memory store", async (clock) => {
  const kv = new MemoryKv(clock.now);
  return { kv, close: async () => kv.close() };
});

rotationContract("Redis", async () => {
  const client = createRedis(inject("redisUrl"), 2000);
  await new Promise((resolve) => client.once("ready", resolve));
  return { kv: new RedisKv(client, 2000), close: async () => void (await client.quit()) };
});

describe("a typed code of a page that was closed names nothing", () => {
  const SHORT: Lifetimes = { ...LIFETIMES, rotationMs: 300, rotationGraceMs: 100 };

  it("embedded memory store: the follow mark lasts one rotation and its grace", async () => {
    const clock = new TestClock();
    const kv = new MemoryKv(clock.now);
    const service = new TicketService(kv, SHORT, clock.now);
    const { ticket } = await service.create(requester);
    await service.markFollowed(ticket.id);
    clock.advance(399);
    expect(await service.findFollowedByUserCode(ticket.userCode)).toBe(ticket.id);
    clock.advance(1);
    expect(await service.findFollowedByUserCode(ticket.userCode)).toBeNull();
    kv.close();
  });

  it("Redis: the follow mark expires with the store's own clock", async () => {
    const client = createRedis(inject("redisUrl"), 2000);
    await new Promise((resolve) => client.once("ready", resolve));
    const service = new TicketService(new RedisKv(client, 2000), SHORT);
    const { ticket } = await service.create(requester);
    await service.markFollowed(ticket.id);
    expect(await service.findFollowedByUserCode(ticket.userCode)).toBe(ticket.id);
    const ttl = await client.pttl(`qrl:{${ticket.id}}:followed`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(400);
    await expect
      .poll(() => service.findFollowedByUserCode(ticket.userCode), { timeout: 3_000 })
      .toBeNull();
    await client.quit();
  });
});

import { afterEach, beforeEach, describe, expect, inject, it } from "vitest";
import { createRedis } from "@/lib/redis";
import type { KvStore } from "@/lib/store/kv";
import { MemoryKv } from "@/lib/store/memory-kv";
import { RedisKv } from "@/lib/store/redis-kv";
import { type Lifetimes, rotationDue } from "@/lib/tickets/machine";
import { TicketService } from "@/lib/tickets/service";
import { LIFETIMES, rejection, TestClock } from "./ticket-contract";

const ROTATING: Lifetimes = { ...LIFETIMES, rotationMs: 25_000, rotationGraceMs: 5_000 };
const requester = { ip: "203.0.113.7", userAgent: "Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0" };

type Open = (clock: TestClock) => Promise<{ kv: KvStore; close(): Promise<void> }>;

/**
 * QR rotation (issue #15, RFC 10027 "short-lived codes") on every store: the
 * rotation is one compare-and-set of the ticket, a replaced QR never scans,
 * and the ticket's id, binding and lifetime stay as they were.
 */
function rotationContract(name: string, open: Open) {
  describe(`QR rotation: ${name}`, () => {
    let clock: TestClock;
    let fixture: Awaited<ReturnType<Open>>;
    let service: TicketService;

    beforeEach(async () => {
      clock = new TestClock();
      fixture = await open(clock);
      service = new TicketService(fixture.kv, ROTATING, clock.now);
    });
    afterEach(async () => fixture.close());

    /** Moves the clock to the next rotation and lets the desktop's read rotate; the new token. */
    async function rotateOnce(id: string, secret: string): Promise<string> {
      clock.advance(ROTATING.rotationMs ?? 0);
      const ticket = await service.rotate(id, secret);
      return ticket.qr.token;
    }

    it("an old rotated QR never scans, and the refusal changes nothing", async () => {
      const { ticket, secret } = await service.create(requester);
      const first = await rotateOnce(ticket.id, secret);
      const second = await rotateOnce(ticket.id, secret);
      expect(new Set(["", first, second]).size).toBe(3);
      clock.advance((ROTATING.rotationGraceMs ?? 0) + 1);

      const before = await service.get(ticket.id);
      // The first QR (no token), the one after it (past its grace), and a made-up token.
      for (const token of ["", first, "AAAAAAAAAAAAAAAA"]) {
        expect(await rejection(service.scan(ticket.id, "demo-alice", undefined, token))).toBe(
          "qr_replaced",
        );
      }
      expect(await service.get(ticket.id)).toEqual(before);

      // The QR on the screen now scans.
      const scanned = await service.scan(ticket.id, "demo-alice", undefined, second);
      expect(scanned).toMatchObject({ state: "scanned", userId: "demo-alice" });
    });

    it("lets the replaced QR scan only within the grace period (the phone was already opening it)", async () => {
      const { ticket, secret } = await service.create(requester);
      const first = await rotateOnce(ticket.id, secret);
      await rotateOnce(ticket.id, secret);
      clock.advance((ROTATING.rotationGraceMs ?? 0) - 1);
      expect(await service.scan(ticket.id, "demo-alice", undefined, first)).toMatchObject({
        state: "scanned",
      });
    });

    it("refuses a QR whose page stopped polling once it is overdue, without any rotation written", async () => {
      const { ticket } = await service.create(requester);
      clock.advance((ROTATING.rotationMs ?? 0) + (ROTATING.rotationGraceMs ?? 0));
      expect(await rejection(service.scan(ticket.id, "demo-alice", undefined, ""))).toBe(
        "qr_replaced",
      );
      expect((await service.get(ticket.id))?.state).toBe("pending");
    });

    it("keeps the ticket's id, binding, code and deadline, and moves its version (the long-poll cursor)", async () => {
      const { ticket, secret } = await service.create(requester);
      const token = await rotateOnce(ticket.id, secret);
      const after = await service.get(ticket.id);
      expect(after).toMatchObject({
        id: ticket.id,
        state: "pending",
        version: ticket.version + 1,
        bindingHash: ticket.bindingHash,
        userCode: ticket.userCode,
        deadline: ticket.deadline,
        qr: { token, previous: "" },
      });
      // The same binding secret reads, scans go on, and the claim works.
      expect((await service.readAsRequester(ticket.id, secret))?.state).toBe("pending");
      await service.scan(ticket.id, "demo-alice", undefined, token);
      await service.confirm(ticket.id, "demo-alice");
      expect((await service.claim(ticket.id, secret)).state).toBe("consumed");
      // The record's lifetime is still the state's, not stretched by rotations.
      expect(await fixture.kv.pttl(`qrl:{${ticket.id}}:ticket`)).toBeGreaterThan(0);
    });

    it("does not rotate before it is due, nor once scanned, nor for a wrong binding secret", async () => {
      const { ticket, secret } = await service.create(requester);
      clock.advance((ROTATING.rotationMs ?? 0) - 1);
      expect((await service.rotate(ticket.id, secret)).version).toBe(ticket.version);
      expect(await rejection(service.rotate(ticket.id, "not-the-secret"))).toBe("not_found");
      await service.scan(ticket.id, "demo-alice");
      clock.advance(ROTATING.rotationMs ?? 0);
      const scanned = await service.get(ticket.id);
      expect(scanned && rotationDue(scanned, clock.now(), ROTATING)).toBe(false);
      expect(await service.rotate(ticket.id, secret)).toEqual(scanned);
    });

    it("rotates once when two reads race (compare-and-set), and a scan racing a rotation still lands", async () => {
      const { ticket, secret } = await service.create(requester);
      clock.advance(ROTATING.rotationMs ?? 0);
      const [a, b, scan] = await Promise.allSettled([
        service.rotate(ticket.id, secret),
        service.rotate(ticket.id, secret),
        service.scan(ticket.id, "demo-alice", undefined, ""),
      ]);
      expect(scan.status).toBe("fulfilled");
      expect([a.status, b.status]).toEqual(["fulfilled", "fulfilled"]);
      const final = await service.get(ticket.id);
      // Rotated at most once before the scan: version 1 → (2) → scanned.
      expect(final?.state).toBe("scanned");
      expect([2, 3]).toContain(final?.version);
    });

    it("gives the typed code a token that scans, rotating only when the current one is about to run out", async () => {
      const { ticket, secret } = await service.create(requester);
      expect(await service.qrTokenForCode(ticket.id)).toBe("");
      expect((await service.get(ticket.id))?.version).toBe(1);
      clock.advance(20_000);
      const token = await service.qrTokenForCode(ticket.id);
      expect(token).toMatch(/^[A-Za-z0-9_-]{16}$/);
      // The desktop's QR changed with it: its read shows the same token.
      expect((await service.readAsRequester(ticket.id, secret))?.ticket.qr.token).toBe(token);
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

import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { keys } from "@/lib/store/keys";
import type { KvStore } from "@/lib/store/kv";
import type { Lifetimes } from "@/lib/tickets/machine";
import { TicketActionError, TicketService } from "@/lib/tickets/service";

export const LIFETIMES: Lifetimes = {
  pendingMs: 120_000,
  scannedMs: 60_000,
  confirmedMs: 30_000,
  maxMs: 600_000,
  tombstoneMs: 60_000,
};

/** A clock the tests move by hand; it starts at the real time so Redis expiries stay in the future. */
export class TestClock {
  value = Date.now();
  now = () => this.value;
  advance(ms: number) {
    this.value += ms;
  }
}

export interface StoreFixture {
  kv: KvStore;
  close(): Promise<void>;
}

const requester = {
  ip: "203.0.113.7",
  userAgent: "Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0 Safari/537.36",
};

export async function rejection(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof TicketActionError) return error.code;
    throw error;
  }
  return "resolved";
}

/**
 * The ticket engine's contract. Every store (memory, Redis, Redis Cluster)
 * runs this same suite: the state machine is shared, so a store passes only
 * if its compare-and-set is truly atomic and its expiries are right.
 */
export function ticketContract(name: string, open: (clock: TestClock) => Promise<StoreFixture>) {
  describe(`ticket contract: ${name}`, () => {
    let clock: TestClock;
    let fixture: StoreFixture | undefined;
    let service: TicketService;

    beforeEach(async () => {
      await fixture?.close();
      clock = new TestClock();
      fixture = await open(clock);
      service = new TicketService(fixture.kv, LIFETIMES, clock.now);
    });
    afterAll(async () => fixture?.close());

    const created = () => service.create(requester);
    const stateOf = async (id: string) => (await service.get(id))?.state;

    it("creates a pending ticket and stores only a hash of the binding secret", async () => {
      const { ticket, secret } = await created();
      expect(ticket.state).toBe("pending");
      expect(ticket.userCode).toMatch(/^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$/);
      const raw = await fixture?.kv.getHash(keys.ticket(ticket.id));
      expect(raw?.state).toBe("pending");
      expect(JSON.stringify(raw)).not.toContain(secret);
      expect(await service.findByUserCode(ticket.userCode)).toBe(ticket.id);
    });

    it("reads the ticket only with the right binding secret", async () => {
      const { ticket, secret } = await created();
      expect((await service.readAsRequester(ticket.id, secret))?.state).toBe("pending");
      expect(await service.readAsRequester(ticket.id, `${secret.slice(0, -1)}x`)).toBeNull();
      expect(await service.readAsRequester(ticket.id, "")).toBeNull();
    });

    it("walks scan → confirm → claim and hands the scanner's id to the claim", async () => {
      const { ticket, secret } = await created();
      expect((await service.scan(ticket.id, "alice")).state).toBe("scanned");
      expect((await service.confirm(ticket.id, "alice")).state).toBe("confirmed");
      const claimed = await service.claim(ticket.id, secret);
      expect(claimed.userId).toBe("alice");
      expect(await stateOf(ticket.id)).toBe("consumed");
      expect(claimed.version).toBe(4);
    });

    it("answers a confirm retried by the scanner as confirmed, before and after the claim", async () => {
      const { ticket, secret } = await created();
      await service.scan(ticket.id, "alice");
      const first = await service.confirm(ticket.id, "alice", undefined, {
        sessionId: "sid-first",
        approvedBy: "phone-1",
      });
      // The retry (its first answer was lost) changes nothing: not the version, not the session.
      const retried = await service.confirm(ticket.id, "alice", undefined, {
        sessionId: "sid-retry",
        approvedBy: "phone-1",
      });
      expect(retried).toMatchObject({ state: "confirmed", version: first.version });
      expect((await service.get(ticket.id))?.sessionId).toBe("sid-first");
      expect(await rejection(service.confirm(ticket.id, "bob"))).toBe("not_scanner");
      expect((await service.claim(ticket.id, secret)).userId).toBe("alice");
      const late = await service.confirm(ticket.id, "alice");
      expect(late).toMatchObject({ state: "consumed", version: first.version + 1 });
      expect(await rejection(service.deny(ticket.id, "alice"))).toBe("invalid_state");
    });

    it("asks a confirm's session maker only when the confirm changes the ticket", async () => {
      const asked: string[] = [];
      const maker = (sessionId: string) => async () => {
        asked.push(sessionId);
        return { sessionId, approvedBy: "phone-1" };
      };
      const { ticket } = await created();
      expect(
        await rejection(
          service.confirm("no-such-ticket-id-000000", "alice", undefined, maker("unknown")),
        ),
      ).toBe("not_found");
      expect(
        await rejection(service.confirm(ticket.id, "alice", undefined, maker("pending"))),
      ).toBe("invalid_state");
      await service.scan(ticket.id, "alice");
      expect(await rejection(service.confirm(ticket.id, "bob", undefined, maker("foreign")))).toBe(
        "not_scanner",
      );
      expect(asked).toEqual([]);
      const confirmed = await service.confirm(ticket.id, "alice", undefined, maker("first"));
      expect(confirmed).toMatchObject({ state: "confirmed", sessionId: "first" });
      const retried = await service.confirm(ticket.id, "alice", undefined, maker("retry"));
      expect(retried).toMatchObject({ version: confirmed.version, sessionId: "first" });
      expect(asked).toEqual(["first"]);
      const late = await created();
      await service.scan(late.ticket.id, "alice");
      clock.advance(LIFETIMES.scannedMs);
      expect(
        await rejection(service.confirm(late.ticket.id, "alice", undefined, maker("late"))),
      ).toBe("expired");
      expect(asked).toEqual(["first"]);
    });

    it("of concurrent confirms with session makers, one session stands and the ticket names it", async () => {
      const { ticket } = await created();
      await service.scan(ticket.id, "alice");
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          service.confirm(ticket.id, "alice", undefined, async () => ({
            sessionId: `sid-${i}`,
            approvedBy: "phone-1",
          })),
        ),
      );
      const named = new Set(results.map((t) => t.sessionId));
      expect(named.size).toBe(1);
      expect((await service.get(ticket.id))?.sessionId).toBe([...named][0]);
    });

    it("refuses a claim without the binding secret, and leaves the ticket claimable", async () => {
      const { ticket, secret } = await created();
      await service.scan(ticket.id, "alice");
      await service.confirm(ticket.id, "alice");
      expect(await rejection(service.claim(ticket.id, "wrong-secret"))).toBe("not_found");
      expect(await rejection(service.cancel(ticket.id, "wrong-secret"))).toBe("not_found");
      expect(await stateOf(ticket.id)).toBe("confirmed");
      expect((await service.claim(ticket.id, secret)).userId).toBe("alice");
    });

    it("lets exactly one of 50 concurrent claims win", async () => {
      const { ticket, secret } = await created();
      await service.scan(ticket.id, "alice");
      await service.confirm(ticket.id, "alice");
      const results = await Promise.allSettled(
        Array.from({ length: 50 }, () => service.claim(ticket.id, secret)),
      );
      const won = results.filter((r) => r.status === "fulfilled");
      expect(won).toHaveLength(1);
      for (const r of results) {
        if (r.status === "rejected")
          expect((r.reason as TicketActionError).code).toBe("invalid_state");
      }
      expect(await stateOf(ticket.id)).toBe("consumed");
    });

    it("asks before claiming for an account new to the browser: no claim without Continue, exactly one of 50 with it", async () => {
      const { ticket, secret } = await created();
      await service.scan(ticket.id, "alice");
      const asked = await service.confirm(
        ticket.id,
        "alice",
        undefined,
        undefined,
        async () => true,
      );
      expect(asked).toMatchObject({ state: "confirmed", continueRequired: true });
      expect((await service.get(ticket.id))?.continueRequired).toBe(true);
      // A claim that did not say "Continue" (or said it for another account) changes nothing.
      expect(await rejection(service.claim(ticket.id, secret))).toBe("continue_required");
      const no = async () => false;
      expect(await rejection(service.claim(ticket.id, secret, undefined, undefined, no))).toBe(
        "continue_required",
      );
      expect(await service.get(ticket.id)).toMatchObject({ state: "confirmed", version: 3 });
      const yes = async () => true;
      const results = await Promise.allSettled(
        Array.from({ length: 50 }, () =>
          service.claim(ticket.id, secret, undefined, undefined, yes),
        ),
      );
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
      expect(await stateOf(ticket.id)).toBe("consumed");
    });

    it("claims a known account at once, and never asks the question again after the answer", async () => {
      const { ticket, secret } = await created();
      await service.scan(ticket.id, "alice");
      const known = await service.confirm(
        ticket.id,
        "alice",
        undefined,
        undefined,
        async () => false,
      );
      expect(known.continueRequired).toBeUndefined();
      expect((await service.claim(ticket.id, secret)).state).toBe("consumed");
    });

    it("refuses (This isn't me) a confirmed ticket for good: cancelled, marked refused, never claimed", async () => {
      const { ticket, secret } = await created();
      await service.scan(ticket.id, "alice");
      await service.confirm(ticket.id, "alice", undefined, undefined, async () => true);
      expect(await rejection(service.refuse(ticket.id, "wrong-secret"))).toBe("not_found");
      const refused = await service.refuse(ticket.id, secret);
      expect(refused).toMatchObject({ state: "cancelled", refused: true });
      expect(await service.get(ticket.id)).toMatchObject({ state: "cancelled", refused: true });
      const yes = async () => true;
      expect(await rejection(service.claim(ticket.id, secret, undefined, undefined, yes))).toBe(
        "invalid_state",
      );
      expect(await rejection(service.refuse(ticket.id, secret))).toBe("invalid_state");
    });

    it("lets one of a claim after Continue and a refusal racing each other win, never both", async () => {
      for (let round = 0; round < 10; round++) {
        const { ticket, secret } = await created();
        await service.scan(ticket.id, "alice");
        await service.confirm(ticket.id, "alice", undefined, undefined, async () => true);
        const [claim, refuse] = await Promise.allSettled([
          service.claim(ticket.id, secret, undefined, undefined, async () => true),
          service.refuse(ticket.id, secret),
        ]);
        expect([claim.status, refuse.status].sort()).toEqual(["fulfilled", "rejected"]);
        expect(await stateOf(ticket.id)).toBe(
          claim.status === "fulfilled" ? "consumed" : "cancelled",
        );
      }
    });

    it("binds the ticket to the first of 20 concurrent scans by two users", async () => {
      const { ticket } = await created();
      const users = Array.from({ length: 20 }, (_, i) => (i % 2 ? "alice" : "bob"));
      const results = await Promise.allSettled(users.map((u) => service.scan(ticket.id, u)));
      const scanner = (await service.get(ticket.id))?.userId;
      expect(["alice", "bob"]).toContain(scanner);
      results.forEach((r, i) => {
        if (users[i] === scanner) expect(r.status).toBe("fulfilled");
        else
          expect(r.status === "rejected" && (r.reason as TicketActionError).code).toBe(
            "already_scanned",
          );
      });
    });

    it("settles confirm racing deny on one final state, the one whose call succeeded", async () => {
      for (let round = 0; round < 10; round++) {
        const { ticket } = await created();
        await service.scan(ticket.id, "alice");
        const [confirm, deny] = await Promise.allSettled([
          service.confirm(ticket.id, "alice"),
          service.deny(ticket.id, "alice"),
        ]);
        const winners = [confirm, deny].filter((r) => r.status === "fulfilled");
        expect(winners).toHaveLength(1);
        const expected = confirm.status === "fulfilled" ? "confirmed" : "denied";
        expect(await stateOf(ticket.id)).toBe(expected);
      }
    });

    it("answers confirm before scan with invalid_state and changes nothing", async () => {
      const { ticket } = await created();
      expect(await rejection(service.confirm(ticket.id, "alice"))).toBe("invalid_state");
      expect(await rejection(service.deny(ticket.id, "alice"))).toBe("invalid_state");
      const after = await service.get(ticket.id);
      expect(after?.state).toBe("pending");
      expect(after?.version).toBe(1);
    });

    it("lets only the scanner confirm or deny", async () => {
      const { ticket, secret } = await created();
      await service.scan(ticket.id, "alice");
      expect(await rejection(service.confirm(ticket.id, "bob"))).toBe("not_scanner");
      expect(await rejection(service.deny(ticket.id, "bob"))).toBe("not_scanner");
      expect(await rejection(service.scan(ticket.id, "bob"))).toBe("already_scanned");
      await service.confirm(ticket.id, "alice");
      expect((await service.claim(ticket.id, secret)).userId).toBe("alice");
    });

    it("treats a repeated scan by the same user as a no-op", async () => {
      const { ticket } = await created();
      const first = await service.scan(ticket.id, "alice");
      const again = await service.scan(ticket.id, "alice");
      expect(again.version).toBe(first.version);
      expect(again.state).toBe("scanned");
    });

    it("rejects replays and out-of-order steps without changing the state", async () => {
      const { ticket, secret } = await created();
      expect(await rejection(service.claim(ticket.id, secret))).toBe("invalid_state");
      await service.scan(ticket.id, "alice");
      expect(await rejection(service.claim(ticket.id, secret))).toBe("invalid_state");
      await service.confirm(ticket.id, "alice");
      await service.claim(ticket.id, secret);
      const consumed = await service.get(ticket.id);
      expect(await rejection(service.claim(ticket.id, secret))).toBe("invalid_state");
      expect(await rejection(service.scan(ticket.id, "alice"))).toBe("invalid_state");
      expect(await rejection(service.scan(ticket.id, "bob"))).toBe("already_scanned");
      expect(await rejection(service.cancel(ticket.id, secret))).toBe("invalid_state");
      expect(await service.get(ticket.id)).toEqual(consumed);
    });

    it("makes deny final: a later confirm is invalid_state", async () => {
      const { ticket, secret } = await created();
      await service.scan(ticket.id, "alice");
      await service.deny(ticket.id, "alice");
      expect(await rejection(service.confirm(ticket.id, "alice"))).toBe("invalid_state");
      expect(await rejection(service.claim(ticket.id, secret))).toBe("invalid_state");
      expect(await stateOf(ticket.id)).toBe("denied");
    });

    it("lets the requester cancel while pending or scanned, not after", async () => {
      const pending = await created();
      await service.cancel(pending.ticket.id, pending.secret);
      expect(await stateOf(pending.ticket.id)).toBe("cancelled");
      expect(await rejection(service.scan(pending.ticket.id, "alice"))).toBe("invalid_state");

      const scanned = await created();
      await service.scan(scanned.ticket.id, "alice");
      await service.cancel(scanned.ticket.id, scanned.secret);
      expect(await rejection(service.confirm(scanned.ticket.id, "alice"))).toBe("invalid_state");
    });

    it("expires a pending ticket: scan is expired, the requester reads expired, nothing revives it", async () => {
      const { ticket, secret } = await created();
      clock.advance(LIFETIMES.pendingMs);
      expect(await rejection(service.scan(ticket.id, "alice"))).toBe("expired");
      expect((await service.readAsRequester(ticket.id, secret))?.state).toBe("expired");
      expect(await rejection(service.cancel(ticket.id, secret))).toBe("expired");
      expect(await rejection(service.claim(ticket.id, secret))).toBe("expired");
      expect((await service.get(ticket.id))?.version).toBe(1);
    });

    it("gives each state its own lifetime: scanned 60 s, confirmed 30 s", async () => {
      const a = await created();
      clock.advance(LIFETIMES.pendingMs - 1);
      await service.scan(a.ticket.id, "alice");
      clock.advance(LIFETIMES.scannedMs - 1);
      await service.confirm(a.ticket.id, "alice");
      clock.advance(LIFETIMES.confirmedMs);
      expect(await rejection(service.claim(a.ticket.id, a.secret))).toBe("expired");

      const b = await created();
      await service.scan(b.ticket.id, "alice");
      clock.advance(LIFETIMES.scannedMs);
      expect(await rejection(service.confirm(b.ticket.id, "alice"))).toBe("expired");
    });

    it("sets the stored TTL of each state in the same step as the transition", async () => {
      const ttl = async (id: string) => (await fixture?.kv.pttl(keys.ticket(id))) ?? -2;
      const near = (actual: number, expected: number) => {
        expect(actual).toBeGreaterThan(expected - 5_000);
        expect(actual).toBeLessThanOrEqual(expected);
      };
      const { ticket, secret } = await created();
      near(await ttl(ticket.id), LIFETIMES.pendingMs + LIFETIMES.tombstoneMs);
      await service.scan(ticket.id, "alice");
      near(await ttl(ticket.id), LIFETIMES.scannedMs + LIFETIMES.tombstoneMs);
      await service.confirm(ticket.id, "alice");
      near(await ttl(ticket.id), LIFETIMES.confirmedMs + LIFETIMES.tombstoneMs);
      await service.claim(ticket.id, secret);
      near(await ttl(ticket.id), LIFETIMES.tombstoneMs);
    });

    it("never lets a ticket outlive the overall maximum", async () => {
      const short: Lifetimes = { ...LIFETIMES, maxMs: 90_000 };
      const capped = new TicketService(fixture?.kv as KvStore, short, clock.now);
      const { ticket } = await capped.create(requester);
      expect(ticket.deadline - ticket.createdAt).toBe(90_000);
      clock.advance(80_000);
      const scanned = await capped.scan(ticket.id, "alice");
      expect(scanned.deadline).toBe(ticket.createdAt + 90_000);
    });

    it("publishes every change, in order, to subscribers; a rejected step publishes nothing", async () => {
      const kv = fixture?.kv as KvStore;
      const seen: Array<{ id: string; version: number; state: string }> = [];
      const unsubscribe = await kv.subscribe(keys.events, {
        onMessage: (m) => seen.push(JSON.parse(m)),
        onResync: () => {},
      });
      try {
        const { ticket, secret } = await created();
        await service.scan(ticket.id, "alice");
        await rejection(service.confirm(ticket.id, "bob"));
        await service.confirm(ticket.id, "alice");
        await service.claim(ticket.id, secret);
        // Wait for this ticket's three events (others' may arrive on the same channel).
        const mineOf = () => seen.filter((e) => e.id === ticket.id);
        for (let i = 0; i < 200 && mineOf().length < 3; i++)
          await new Promise((r) => setTimeout(r, 10));
        const mine = mineOf();
        expect(mine.map(({ id, version, state }) => ({ id, version, state }))).toEqual([
          { id: ticket.id, version: 2, state: "scanned" },
          { id: ticket.id, version: 3, state: "confirmed" },
          { id: ticket.id, version: 4, state: "consumed" },
        ]);
      } finally {
        await unsubscribe();
      }
    });

    /** The service over `kv`, with every store call it makes recorded by method name. */
    function recordingService() {
      const kv = fixture?.kv as KvStore;
      const calls: string[] = [];
      const recording = new Proxy(kv, {
        get(target, name, receiver) {
          const value = Reflect.get(target, name, receiver);
          if (typeof value !== "function") return value;
          return (...args: unknown[]) => {
            calls.push(String(name));
            return value.apply(target, args);
          };
        },
      });
      return { calls, service: new TicketService(recording, LIFETIMES, clock.now) };
    }
    const WRITES = ["createHash", "casHash", "setString", "del", "setField", "deleteField"];
    const writesIn = (calls: string[]) => calls.filter((c) => WRITES.includes(c));

    async function confirmedTicket() {
      const { ticket, secret } = await created();
      await service.scan(ticket.id, "alice");
      await service.confirm(ticket.id, "alice", undefined, {
        sessionId: "computer-session-id-0001",
        approvedBy: "phone-session-id-000001",
      });
      return { id: ticket.id, secret };
    }

    it("claims with a session maker: consumed and the session record written in one compare-and-set", async () => {
      const { id, secret } = await confirmedTicket();
      const expiresAt = clock.now() + 3_600_000;
      const seen: Array<{ state: string; sessionId?: string; approvedBy?: string }> = [];
      const { calls, service: recorded } = recordingService();
      const claimed = await recorded.claim(id, secret, "203.0.113.9", async (confirmed) => {
        seen.push(confirmed);
        return { record: JSON.stringify({ id: confirmed.sessionId, expiresAt }), expiresAt };
      });
      // The maker saw the confirmed ticket with the session confirm reserved.
      expect(seen).toEqual([
        expect.objectContaining({
          state: "confirmed",
          sessionId: "computer-session-id-0001",
          approvedBy: "phone-session-id-000001",
        }),
      ]);
      // One write, and it was the compare-and-set: no second step a stall could cut off.
      expect(writesIn(calls)).toEqual(["casHash"]);
      const raw = await fixture?.kv.getHash(keys.ticket(id));
      expect(raw?.state).toBe("consumed");
      expect(raw?.session).toBe(JSON.stringify({ id: "computer-session-id-0001", expiresAt }));
      expect(claimed.session).toBe(raw?.session);
      // The ticket (holding the record) lives as long as the session, not the tombstone.
      const ttl = (await fixture?.kv.pttl(keys.ticket(id))) ?? -2;
      expect(ttl).toBeGreaterThan(3_600_000 - 5_000);
      expect(ttl).toBeLessThanOrEqual(3_600_000);
    });

    it("changes nothing when the session maker throws: still confirmed, no session, claimable", async () => {
      const { id, secret } = await confirmedTicket();
      const before = await fixture?.kv.getHash(keys.ticket(id));
      const { calls, service: recorded } = recordingService();
      const failure = new Error("approving phone signed out");
      await expect(
        recorded.claim(id, secret, undefined, async () => {
          throw failure;
        }),
      ).rejects.toBe(failure);
      expect(writesIn(calls)).toEqual([]);
      const after = await fixture?.kv.getHash(keys.ticket(id));
      expect(after).toEqual(before);
      expect(after?.state).toBe("confirmed");
      expect(after?.session ?? "").toBe("");
      // A claim refused for its session is not used up.
      const record = JSON.stringify({ id: "computer-session-id-0001" });
      await service.claim(id, secret, undefined, async () => ({
        record,
        expiresAt: clock.now() + 60_000,
      }));
      expect((await fixture?.kv.getHash(keys.ticket(id)))?.session).toBe(record);
    });

    it("makes no session for a ticket that cannot be claimed", async () => {
      const { ticket, secret } = await created();
      await service.scan(ticket.id, "alice");
      let made = 0;
      const maker = async () => {
        made++;
        return { record: "{}", expiresAt: clock.now() + 60_000 };
      };
      expect(await rejection(service.claim(ticket.id, secret, undefined, maker))).toBe(
        "invalid_state",
      );
      expect(await rejection(service.claim(ticket.id, "wrong-secret", undefined, maker))).toBe(
        "not_found",
      );
      expect(made).toBe(0);
      const raw = await fixture?.kv.getHash(keys.ticket(ticket.id));
      expect([raw?.state, raw?.session ?? ""]).toEqual(["scanned", ""]);
    });

    it("writes the one winner's session when 50 claims with makers race", async () => {
      const { id, secret } = await confirmedTicket();
      let n = 0;
      const results = await Promise.allSettled(
        Array.from({ length: 50 }, () =>
          service.claim(id, secret, undefined, async () => ({
            record: JSON.stringify({ attempt: n++ }),
            expiresAt: clock.now() + 60_000,
          })),
        ),
      );
      const won = results.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
      expect(won.length).toBeGreaterThanOrEqual(1);
      const raw = await fixture?.kv.getHash(keys.ticket(id));
      expect(raw?.state).toBe("consumed");
      // One session was written; a claim answered after it (the same browser asking again,
      // issue 25.4) is handed that same one, never its own.
      expect(new Set(won.map((t) => t.session))).toEqual(new Set([raw?.session]));
      expect(won.every((t) => t.version === won[0]?.version)).toBe(true);
    });

    it("answers not_found for tickets that do not exist", async () => {
      expect(await rejection(service.scan("AAAAAAAAAAAAAAAAAAAAAAAA", "alice"))).toBe("not_found");
      expect(await service.readAsRequester("AAAAAAAAAAAAAAAAAAAAAAAA", "x")).toBeNull();
    });
  });
}

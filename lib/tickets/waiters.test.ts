import { getEventListeners } from "node:events";
import { describe, expect, it } from "vitest";
import { Waiters } from "./waiters";

describe("long-poll waiters", () => {
  it("wakes every waiter of a ticket, and only of that ticket", async () => {
    const waiters = new Waiters();
    const a1 = waiters.watch("a");
    const a2 = waiters.watch("a");
    const b = waiters.watch("b");
    const results = Promise.all([a1.until(5_000), a2.until(5_000)]);
    waiters.notify("a");
    expect(await results).toEqual(["changed", "changed"]);
    expect(
      await Promise.race([b.until(20), new Promise((r) => setTimeout(() => r("late"), 200))]),
    ).toBe("timeout");
    for (const w of [a1, a2, b]) w.cancel();
    expect(waiters.size).toBe(0);
  });

  it("keeps a change that lands between watch() and until()", async () => {
    const waiters = new Waiters();
    const w = waiters.watch("t");
    waiters.notify("t");
    expect(await w.until(5_000)).toBe("changed");
    w.cancel();
  });

  it("answers aborted when the client goes away, even before waiting", async () => {
    const waiters = new Waiters();
    const controller = new AbortController();
    const w = waiters.watch("t", controller.signal);
    const pending = w.until(5_000);
    controller.abort();
    expect(await pending).toBe("aborted");
    w.cancel();
    const gone = new AbortController();
    gone.abort();
    const late = waiters.watch("t", gone.signal);
    expect(await late.until(5_000)).toBe("aborted");
    late.cancel();
    expect(waiters.size).toBe(0);
  });

  it("leaks no waiter, timer or abort listener after 10,000 long-polls", async () => {
    const waiters = new Waiters();
    const controllers: AbortController[] = [];
    const polls = Array.from({ length: 10_000 }, async (_, i) => {
      const controller = new AbortController();
      controllers.push(controller);
      const w = waiters.watch(`ticket-${i % 500}`, controller.signal);
      try {
        const waiting = w.until(i % 3 === 0 ? 1 : 10_000);
        if (i % 3 === 1) controller.abort();
        return await waiting;
      } finally {
        w.cancel();
      }
    });
    await new Promise((r) => setTimeout(r, 20));
    expect(waiters.size).toBeGreaterThan(0);
    for (let t = 0; t < 500; t++) waiters.notify(`ticket-${t}`);
    const outcomes = await Promise.all(polls);
    expect(new Set(outcomes)).toEqual(new Set(["timeout", "aborted", "changed"]));
    expect(waiters.size).toBe(0);
    // Every cancelled waiter removed its abort listener from the request's signal.
    const listeners = controllers.reduce(
      (n, c) => n + getEventListeners(c.signal, "abort").length,
      0,
    );
    expect(listeners).toBe(0);
  });
});

import { describe, expect, it } from "vitest";
import type { AppServer } from "../support/app-server";
import { type HttpClient, scanPathOf } from "../support/http-client";
import { desktopWithTicket, signedInPhone, useStack } from "../support/stack";

const METRICS_TOKEN = "metrics-token-for-tests-0123456789";

/** How many status long-polls `app` holds right now, from its Prometheus gauge. */
async function longPollsWaiting(app: AppServer): Promise<number> {
  const res = await fetch(`${app.url}/api/metrics`, {
    headers: { authorization: `Bearer ${METRICS_TOKEN}` },
  });
  if (res.status !== 200) throw new Error(`GET /api/metrics: ${res.status}`);
  const line = (await res.text()).split("\n").find((l) => l.startsWith("qrl_longpolls_waiting "));
  return Number(line?.split(" ")[1] ?? Number.NaN);
}

/** Returns once `app` holds more long-polls than `before`: the request is waiting, not on its way. */
async function untilWaiting(app: AppServer, before: number) {
  await expect
    .poll(() => longPollsWaiting(app), { timeout: 10_000, interval: 20 })
    .toBeGreaterThan(before);
}

/**
 * Long-poll across two instances sharing one Redis: the desktop waits on A,
 * the phone acts through B. Elapsed times here are only compared with the
 * requested wait, to tell "woken by the change" from "timed out".
 *
 * Runs twice: the status read served by server.mjs's fast path (the default)
 * and by the Next.js route (QRL_FAST_STATUS=false); both run the same code.
 */
for (const fast of [true, false]) {
  describe(`long-poll status across instances (${fast ? "fast path" : "Next.js route"})`, () => {
    const stack = useStack({
      instances: 2,
      env: { QRL_FAST_STATUS: String(fast), METRICS_TOKEN },
    });
    /** The desktop's instance, and the phone's. */
    const a = () => stack.apps[0] as AppServer;
    const b = () => stack.apps[1] as AppServer;

    /** A ticket on A's desktop, and alice's phone on B. */
    async function setup() {
      const { desktop, ticket } = await desktopWithTicket(a().url);
      const phone = await signedInPhone(b().url);
      return { desktop, phone, ticketId: ticket.ticketId, scanUrl: ticket.scanUrl };
    }

    async function poll(desktop: HttpClient, ticketId: string, since: number, wait: number) {
      const started = performance.now();
      const body = await (
        await desktop.fetch(`/api/qr/${ticketId}?since=${since}&wait=${wait}`)
      ).json();
      return { body, seconds: (performance.now() - started) / 1000 };
    }

    it(`is served by ${fast ? "server.mjs, not Next.js" : "Next.js"}`, async () => {
      const { desktop, ticketId } = await setup();
      const res = await desktop.fetch(`/api/qr/${ticketId}`);
      expect(res.status).toBe(200);
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      expect(res.headers.get("cache-control")).toBe("no-store");
      // Next.js marks every route response with its router's Vary header; the fast path does not.
      if (fast) expect(res.headers.get("vary")).toBeNull();
      else expect(res.headers.get("vary")).toContain("rsc");
      expect(a().output()).toContain(`"fastStatus":${fast}`);
    });

    it("lets go of a held poll the moment its client goes away", async () => {
      const { desktop, ticketId } = await setup();
      const before = await longPollsWaiting(a());
      const controller = new AbortController();
      const held = desktop
        .fetch(`/api/qr/${ticketId}?since=1&wait=20`, { signal: controller.signal })
        .catch((error: unknown) => error);
      await untilWaiting(a(), before);
      controller.abort();
      expect(await held).toBeInstanceOf(Error);
      // Long before the 20-s wait would have ended.
      await expect.poll(() => longPollsWaiting(a()), { timeout: 5_000, interval: 20 }).toBe(before);
    });

    it("answers at once when `since` is behind", async () => {
      const { desktop, phone, ticketId, scanUrl } = await setup();
      await phone.fetch(scanPathOf(scanUrl), { method: "POST" });
      const { body, seconds } = await poll(desktop, ticketId, 1, 20);
      expect(body).toMatchObject({ state: "scanned", version: 2 });
      expect(seconds).toBeLessThan(10);
    });

    it("waits while `since` is current, then answers with the unchanged state", async () => {
      const { desktop, ticketId } = await setup();
      const { body, seconds } = await poll(desktop, ticketId, 1, 1);
      expect(body).toMatchObject({ state: "pending", version: 1 });
      expect(seconds).toBeGreaterThanOrEqual(0.9);
    });

    it("wakes the desktop on instance A when the phone acts through instance B", async () => {
      const { desktop, phone, ticketId, scanUrl } = await setup();
      const idle = await longPollsWaiting(a());
      const waiting = poll(desktop, ticketId, 1, 20);
      await untilWaiting(a(), idle);
      await phone.fetch(scanPathOf(scanUrl), { method: "POST" });
      const scanned = await waiting;
      expect(scanned.body).toMatchObject({
        state: "scanned",
        version: 2,
        scanner: { displayName: "Alice Liddell" },
      });
      expect(scanned.seconds).toBeLessThan(10);

      const confirming = poll(desktop, ticketId, 2, 20);
      await untilWaiting(a(), idle);
      await phone.fetch(`/api/qr/${ticketId}/confirm`, { method: "POST" });
      const confirmed = await confirming;
      expect(confirmed.body).toMatchObject({ state: "confirmed", version: 3 });
      expect(confirmed.seconds).toBeLessThan(10);

      await desktop.claim(ticketId);
      expect((await desktop.session()).user?.id).toBe("demo-alice");
    });

    it("answers a final state at once, whatever `since` says", async () => {
      const { desktop, ticketId } = await setup();
      await desktop.fetch(`/api/qr/${ticketId}`, { method: "DELETE" });
      const { body, seconds } = await poll(desktop, ticketId, 2, 20);
      expect(body.state).toBe("cancelled");
      expect(seconds).toBeLessThan(10);
    });
  });
}

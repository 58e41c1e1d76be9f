import Redis from "ioredis";
import { describe, expect, it } from "vitest";
import { HttpClient, signInNative } from "../support/http-client";
import { useStack } from "../support/stack";

type Status = { state: string; version: number; scanUrl?: string };

const ROTATION_S = 2;
const GRACE_S = 1;

/**
 * QR rotation over HTTP (issues #15, #20, #25), against the production build
 * with a 2-s rotation: the waiting desktop's long-poll is answered at each
 * rotation with the new scan URL (same version: a rotation writes nothing),
 * a replaced QR is refused in words, and the people who take their time are
 * not failed: a scanned ticket's long-poll waits for a real change, a phone
 * that opened the QR keeps it through its sign-in, and the QR on screen of
 * an old page is not called an old code.
 */
describe("QR rotation", () => {
  const stack = useStack({
    env: {
      QR_ROTATION_SECONDS: String(ROTATION_S),
      QR_ROTATION_GRACE_SECONDS: String(GRACE_S),
      // The old-code warning's threshold, shortened: a page open 4 s is "old".
      QRL_OLD_CODE_S: "3",
    },
  });

  async function desktop() {
    const client = new HttpClient(stack.url);
    const res = await client.fetch("/api/qr", { method: "POST" });
    expect(res.status).toBe(201);
    const created = (await res.json()) as { ticketId: string; scanUrl: string; userCode: string };
    return { client, ...created };
  }

  const slotOf = (scanUrl = "") => Number(/[?&]t=(\d+)\./.exec(scanUrl)?.[1] ?? Number.NaN);

  const poll = async (client: HttpClient, id: string, since: number, wait = 20, qr?: number) => {
    const slot = qr === undefined ? "" : `&qr=${qr}`;
    const res = await client.fetch(`/api/qr/${id}?since=${since}&wait=${wait}${slot}`);
    expect(res.status).toBe(200);
    expect(res.headers.getSetCookie()).toEqual([]);
    return (await res.json()) as Status;
  };

  const scanPath = (scanUrl: string) => {
    const url = new URL(scanUrl);
    return `/api/qr/${url.pathname.split("/").pop()}/scan${url.search}`;
  };

  /** Long-polls (as the page does, with its QR's slot) until the QR has changed `times` times. */
  async function rotations(client: HttpClient, id: string, first: string, times: number) {
    const seen: Status[] = [];
    let shown = first;
    while (seen.length < times) {
      const status = await poll(client, id, 1, 20, slotOf(shown));
      if (status.scanUrl !== shown) seen.push(status);
      shown = status.scanUrl ?? shown;
    }
    return seen;
  }

  /** Redis's own count of the commands that write a ticket or wake pollers. */
  async function ticketWritesAndPublishes() {
    const client = new Redis(stack.redis.url);
    const stats = await client.info("commandstats");
    await client.quit();
    const calls = (cmd: string) =>
      Number(new RegExp(`cmdstat_${cmd}:calls=(\\d+)`).exec(stats)?.[1] ?? 0);
    return calls("evalsha") + calls("eval") + calls("publish") + calls("hset");
  }

  it("answers the waiting long-poll with the new QR at each rotation, writing nothing; refuses the old QR and signs in with the new one", async () => {
    const d = await desktop();
    expect(d.scanUrl).toMatch(new RegExp(`/m/scan/${d.ticketId}\\?t=0\\.[A-Za-z0-9_-]{16}$`));
    const cookies = new Map(d.client.cookies);
    const before = await ticketWritesAndPublishes();

    const [first, second, third] = await rotations(d.client, d.ticketId, d.scanUrl, 3);
    for (const status of [first, second, third]) {
      // A rotation is no change of the ticket: the version stays, the QR's slot moves on.
      expect(status).toMatchObject({ state: "pending", version: 1 });
      expect(status?.scanUrl).toMatch(
        new RegExp(`/m/scan/${d.ticketId}\\?t=\\d+\\.[A-Za-z0-9_-]{16}$`),
      );
    }
    expect(slotOf(second?.scanUrl)).toBeGreaterThan(slotOf(first?.scanUrl));
    expect(await ticketWritesAndPublishes()).toBe(before);
    expect(d.client.cookies).toEqual(cookies);

    const { client: phone } = await signInNative(stack.url, "alice", "wonderland");
    // The first QR and the one after it are past their grace now: refused, in words.
    for (const old of [d.scanUrl, first?.scanUrl ?? ""]) {
      const res = await phone.fetch(scanPath(old), { method: "POST" });
      expect(res.status).toBe(410);
      expect((await res.json()).error).toEqual({
        code: "qr_replaced",
        message: "This code was replaced — scan the one on the screen now.",
      });
    }

    const latest = (await d.client.fetch(`/api/qr/${d.ticketId}`).then((r) => r.json())) as Status;
    const waiting = (async () => {
      let status = await poll(d.client, d.ticketId, 1, 20, slotOf(latest.scanUrl));
      for (let i = 0; i < 5 && status.state === "pending"; i++) {
        status = await poll(d.client, d.ticketId, 1, 20, slotOf(status.scanUrl));
      }
      return status;
    })();
    const scan = await phone.fetch(scanPath(latest.scanUrl ?? ""), { method: "POST" });
    expect(scan.status).toBe(200);
    expect(await waiting).toMatchObject({ state: "scanned" });
    expect((await phone.fetch(`/api/qr/${d.ticketId}/confirm`, { method: "POST" })).status).toBe(
      200,
    );
    const claim = await d.client.claim(d.ticketId);
    expect(claim.status).toBe(200);
    expect(d.client.hasSessionCookie()).toBe(true);
  });

  it("answers at once a poll whose QR is already out of date (a tab that slept through a rotation)", async () => {
    const d = await desktop();
    const [now] = await rotations(d.client, d.ticketId, d.scanUrl, 1);
    const started = Date.now();
    const status = await poll(d.client, d.ticketId, 1, 20, 0);
    // Answered without waiting for the next rotation: the QR on screen is the current one.
    expect(status.scanUrl).not.toBe(d.scanUrl);
    expect(slotOf(status.scanUrl)).toBeGreaterThanOrEqual(slotOf(now?.scanUrl));
    expect(Date.now() - started).toBeLessThan(ROTATION_S * 1000);
  });

  it("holds a scanned ticket's long-poll for its whole wait across rotations: no poll storm (issue #20)", async () => {
    const d = await desktop();
    const { client: phone } = await signInNative(stack.url, "bob", "builder");
    expect((await phone.fetch(scanPath(d.scanUrl), { method: "POST" })).status).toBe(200);
    // Follow it as the page does for 5 rotation periods with 4-s waits, counting requests.
    const until = Date.now() + 5 * ROTATION_S * 1000;
    let requests = 0;
    let status: Status = { state: "pending", version: 1 };
    status = await poll(d.client, d.ticketId, 0, 0);
    while (Date.now() < until) {
      requests++;
      status = await poll(d.client, d.ticketId, status.version, 4, slotOf(d.scanUrl));
      expect(status.state).toBe("scanned");
    }
    // 10 s of 4-s waits: 3 requests (the old code answered every poll at once past the rotation).
    expect(requests).toBeLessThanOrEqual(3);
    // And the person who read the confirm screen that long still signs the computer in.
    expect((await phone.fetch(`/api/qr/${d.ticketId}/confirm`, { method: "POST" })).status).toBe(
      200,
    );
    expect(await poll(d.client, d.ticketId, status.version, 4)).toMatchObject({
      state: "confirmed",
    });
    expect((await d.client.claim(d.ticketId)).status).toBe(200);
    expect(d.client.hasSessionCookie()).toBe(true);
  });

  it("keeps the QR a phone browser opened while it signs in, across two rotations; a bare replay is refused", async () => {
    const d = await desktop();
    // The phone opens the QR signed out: its page remembers when (an HttpOnly cookie).
    const browser = new HttpClient(stack.url);
    const url = new URL(d.scanUrl);
    const opened = await browser.fetch(`${url.pathname}${url.search}`);
    expect([200, 307]).toContain(opened.status);
    expect([...browser.cookies.keys()].some((k) => k.endsWith("qrl-opened"))).toBe(true);
    // Two rotations (and the grace) pass while the person signs in on the phone.
    await rotations(d.client, d.ticketId, d.scanUrl, 2);
    const signIn = await browser.nextAuthCallback("credentials", {
      username: "alice",
      password: "wonderland",
    });
    expect(signIn.status).toBe(200);
    expect(browser.hasSessionCookie()).toBe(true);
    // A native client without that record, with the same old QR: refused.
    const { client: other } = await signInNative(stack.url, "carol", "carol-pass");
    expect((await other.fetch(scanPath(d.scanUrl), { method: "POST" })).status).toBe(410);
    // The phone that opened it: the request is still theirs.
    const scan = await browser.fetch(scanPath(d.scanUrl), { method: "POST" });
    expect(scan.status).toBe(200);
    expect(await scan.json()).toMatchObject({ state: "scanned", ticketId: d.ticketId });
  });

  it("does not call the QR on screen of a page open longer than the old-code time an old code", async () => {
    const d = await desktop();
    // The page stays open past QRL_OLD_CODE_S (3 s): three rotations.
    const [, , latest] = await rotations(d.client, d.ticketId, d.scanUrl, 3);
    const { client: phone } = await signInNative(stack.url, "alice", "wonderland");
    const scan = await phone.fetch(scanPath(latest?.scanUrl ?? ""), { method: "POST" });
    expect(scan.status).toBe(200);
    expect(((await scan.json()) as { warnings: string[] }).warnings).not.toContain("old_code");
  });

  it("gives a typed code the QR token on screen while the page follows it, and nothing once it stopped", async () => {
    const d = await desktop();
    await rotations(d.client, d.ticketId, d.scanUrl, 2);
    const { client: phone } = await signInNative(stack.url, "bob", "builder");
    const res = await phone.fetch("/api/qr/lookup", {
      method: "POST",
      json: { userCode: d.userCode },
    });
    expect(res.status).toBe(200);
    const { ticketId, qrToken } = (await res.json()) as { ticketId: string; qrToken: string };
    expect(ticketId).toBe(d.ticketId);
    expect(qrToken).toMatch(/^\d+\.[A-Za-z0-9_-]{16}$/);
    const scan = await phone.fetch(`/api/qr/${ticketId}/scan?t=${qrToken}`, { method: "POST" });
    expect(scan.status).toBe(200);
    expect(((await scan.json()) as { warnings: string[] }).warnings).not.toContain("old_code");

    // A page that stopped polling (closed, or a screenshot of it): its code names nothing
    // once a rotation and its grace have passed.
    const dead = await desktop();
    await poll(dead.client, dead.ticketId, 0, 0);
    const { client: carol } = await signInNative(stack.url, "carol", "carol-pass");
    await expect
      .poll(
        async () =>
          (
            await carol.fetch("/api/qr/lookup", {
              method: "POST",
              json: { userCode: dead.userCode },
            })
          ).status,
        { timeout: (ROTATION_S + GRACE_S) * 1000 + 5_000, interval: 500 },
      )
      .toBe(404);
  });

  it("refuses a malformed QR token with a 400, not a scan", async () => {
    const d = await desktop();
    const { client: phone } = await signInNative(stack.url, "carol", "carol-pass");
    const res = await phone.fetch(`/api/qr/${d.ticketId}/scan?t=not*a*token`, { method: "POST" });
    expect(res.status).toBe(400);
    const status = (await d.client.fetch(`/api/qr/${d.ticketId}`).then((r) => r.json())) as Status;
    expect(status.state).toBe("pending");
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AppServer, startApp } from "../support/app-server";
import { HttpClient, signInNative } from "../support/http-client";
import { type RedisServer, startRedis } from "../support/redis-server";

type Status = { state: string; version: number; scanUrl?: string };

/**
 * QR rotation over HTTP (issue #15), against the production build with a
 * 2-s rotation: the desktop's long-poll is answered by the rotation with the
 * new scan URL, the ticket keeps its binding cookie and its long-poll, a
 * replaced QR is refused in words, and the newest one signs in.
 */
describe("QR rotation", () => {
  let redis: RedisServer;
  let app: AppServer;

  beforeAll(async () => {
    redis = await startRedis();
    app = await startApp({
      REDIS_URL: redis.url,
      QR_ROTATION_SECONDS: "2",
      QR_ROTATION_GRACE_SECONDS: "1",
    });
  });
  afterAll(async () => {
    await app?.stop();
    await redis?.stop();
  });

  async function desktop() {
    const client = new HttpClient(app.url);
    const res = await client.fetch("/api/qr", { method: "POST" });
    expect(res.status).toBe(201);
    const created = (await res.json()) as { ticketId: string; scanUrl: string; userCode: string };
    return { client, ...created };
  }

  const poll = async (client: HttpClient, id: string, since: number) => {
    const res = await client.fetch(`/api/qr/${id}?since=${since}&wait=20`);
    expect(res.status).toBe(200);
    expect(res.headers.getSetCookie()).toEqual([]);
    return (await res.json()) as Status;
  };

  const scanPath = (scanUrl: string) => {
    const url = new URL(scanUrl);
    return `/api/qr/${url.pathname.split("/").pop()}/scan${url.search}`;
  };

  /** Long-polls until the QR has been replaced `times` times; the answers, newest last. */
  async function rotations(client: HttpClient, id: string, times: number) {
    const seen: Status[] = [];
    let since = 1;
    for (let i = 0; i < times; i++) {
      const status = await poll(client, id, since);
      seen.push(status);
      since = status.version;
    }
    return seen;
  }

  it("answers the waiting long-poll with the new QR, keeps the binding, refuses the old QR and signs in with the new one", async () => {
    const d = await desktop();
    expect(d.scanUrl).toMatch(new RegExp(`/m/scan/${d.ticketId}$`));
    const cookies = new Map(d.client.cookies);

    const [first, second, third] = await rotations(d.client, d.ticketId, 3);
    for (const [status, version] of [
      [first, 2],
      [second, 3],
      [third, 4],
    ] as const) {
      expect(status).toMatchObject({ state: "pending", version });
      expect(status?.scanUrl).toMatch(new RegExp(`/m/scan/${d.ticketId}\\?t=[A-Za-z0-9_-]{16}$`));
    }
    expect(second?.scanUrl).not.toBe(first?.scanUrl);
    // Same ticket, same binding cookie: nothing new was set on the desktop.
    expect(d.client.cookies).toEqual(cookies);

    const { client: phone } = await signInNative(app.url, "alice", "wonderland");
    // The first QR (no token) and the one after it, both older than the grace allows
    // (only the QR just replaced, `second`, may still scan for a moment): refused, in words.
    for (const old of [d.scanUrl, first?.scanUrl ?? ""]) {
      const res = await phone.fetch(scanPath(old), { method: "POST" });
      expect(res.status).toBe(410);
      expect((await res.json()).error).toEqual({
        code: "qr_replaced",
        message: "This code was replaced — scan the one on the screen now.",
      });
    }

    // The newest QR scans, and the held long-poll (same cookie, same cursor) reports it.
    const latest = (await d.client.fetch(`/api/qr/${d.ticketId}`).then((r) => r.json())) as Status;
    const waiting = (async () => {
      // A rotation may answer the poll first (a loaded machine): follow the cursor, a few polls at most.
      let status = await poll(d.client, d.ticketId, latest.version);
      for (let i = 0; i < 5 && status.state === "pending"; i++) {
        status = await poll(d.client, d.ticketId, status.version);
      }
      return status;
    })();
    const scan = await phone.fetch(scanPath(latest.scanUrl ?? ""), { method: "POST" });
    expect(scan.status).toBe(200);
    expect(await waiting).toMatchObject({ state: "scanned" });
    expect((await phone.fetch(`/api/qr/${d.ticketId}/confirm`, { method: "POST" })).status).toBe(
      200,
    );
    const claim = await d.client.nextAuthCallback("qr", { ticketId: d.ticketId });
    expect(claim.status).toBe(200);
    expect(d.client.hasSessionCookie()).toBe(true);
  });

  it("gives a typed code a QR token that scans, however long the code has been on the screen", async () => {
    const d = await desktop();
    await rotations(d.client, d.ticketId, 2);
    const { client: phone } = await signInNative(app.url, "bob", "builder");
    const res = await phone.fetch("/api/qr/lookup", {
      method: "POST",
      json: { userCode: d.userCode },
    });
    expect(res.status).toBe(200);
    const { ticketId, qrToken } = (await res.json()) as { ticketId: string; qrToken: string };
    expect(ticketId).toBe(d.ticketId);
    const scan = await phone.fetch(`/api/qr/${ticketId}/scan?t=${qrToken}`, { method: "POST" });
    expect(scan.status).toBe(200);
  });

  it("refuses a malformed QR token with a 400, not a scan", async () => {
    const d = await desktop();
    const { client: phone } = await signInNative(app.url, "carol", "carol-pass");
    const res = await phone.fetch(`/api/qr/${d.ticketId}/scan?t=not*a*token`, { method: "POST" });
    expect(res.status).toBe(400);
    const status = (await d.client.fetch(`/api/qr/${d.ticketId}`).then((r) => r.json())) as Status;
    expect(status.state).toBe("pending");
  });
});

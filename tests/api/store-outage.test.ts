import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AppServer, startApp } from "../support/app-server";
import { HttpClient, signInNative } from "../support/http-client";
import { type RedisServer, startRedis } from "../support/redis-server";

/**
 * A hang detector, not a speed assertion: with Redis gone, an answer must
 * come from the store timeout (800 ms), not from a client giving up.
 */
const NO_HANG_MS = 4_000;

async function timed(run: () => Promise<Response>) {
  const started = performance.now();
  const res = await run();
  return { res, ms: performance.now() - started, body: await res.json().catch(() => null) };
}

describe("Redis outage: 503 at once, no session, recovery without a restart", () => {
  let redis: RedisServer;
  let app: AppServer;
  let token: string;
  let desktop: HttpClient;
  let ticketId: string;

  beforeAll(async () => {
    redis = await startRedis();
    app = await startApp({ REDIS_URL: redis.url });
    desktop = new HttpClient(app.url);
    ticketId = (await (await desktop.fetch("/api/qr", { method: "POST" })).json()).ticketId;
    const alice = await signInNative(app.url, "alice", "wonderland");
    token = alice.token;
    const phone = alice.client;
    await phone.fetch(`/api/qr/${ticketId}/scan`, { method: "POST" });
    await phone.fetch(`/api/qr/${ticketId}/confirm`, { method: "POST" });
    await redis.stop();
  });
  afterAll(async () => {
    await app?.stop();
    await redis?.stop();
  });

  it("answers every endpoint with 503 store_unavailable, without hanging", async () => {
    const bearer = { authorization: `Bearer ${token}` };
    const calls: Array<[string, () => Promise<Response>]> = [
      ["create", () => desktop.fetch("/api/qr", { method: "POST" })],
      ["status", () => desktop.fetch(`/api/qr/${ticketId}`)],
      ["cancel", () => desktop.fetch(`/api/qr/${ticketId}`, { method: "DELETE" })],
      [
        "scan",
        () => fetch(`${app.url}/api/qr/${ticketId}/scan`, { method: "POST", headers: bearer }),
      ],
      [
        "confirm",
        () => fetch(`${app.url}/api/qr/${ticketId}/confirm`, { method: "POST", headers: bearer }),
      ],
      [
        "deny",
        () => fetch(`${app.url}/api/qr/${ticketId}/deny`, { method: "POST", headers: bearer }),
      ],
      ["approval", () => fetch(`${app.url}/api/qr/${ticketId}/approval`, { headers: bearer })],
      [
        "revoke",
        () =>
          fetch(`${app.url}/api/mobile/sessions/current`, { method: "DELETE", headers: bearer }),
      ],
      [
        "sign-in",
        () =>
          fetch(`${app.url}/api/mobile/sessions`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ username: "alice", password: "wonderland" }),
          }),
      ],
    ];
    for (const [name, call] of calls) {
      const { res, ms, body } = await timed(call);
      expect({ name, status: res.status, code: body?.error?.code }).toEqual({
        name,
        status: 503,
        code: "store_unavailable",
      });
      expect(ms).toBeLessThan(NO_HANG_MS);
    }
    const health = await timed(() => fetch(`${app.url}/api/health`));
    expect(health.res.status).toBe(503);
    expect(health.ms).toBeLessThan(NO_HANG_MS);
    // Liveness does not depend on the store: an orchestrator must not restart a healthy process.
    expect((await fetch(`${app.url}/api/health/live`)).status).toBe(200);
  });

  it("issues no session when the claim cannot reach the store", async () => {
    await desktop.claim(ticketId);
    expect(desktop.hasSessionCookie()).toBe(false);
  });

  it("recovers when Redis comes back empty: old tickets read as expired, new logins work", async () => {
    await redis.start();
    for (let i = 0; i < 50 && (await fetch(`${app.url}/api/health`)).status !== 200; i++) {
      await new Promise((r) => setTimeout(r, 100));
    }
    expect((await fetch(`${app.url}/api/health`)).status).toBe(200);
    expect((await (await desktop.fetch(`/api/qr/${ticketId}`)).json()).state).toBe("expired");
    await desktop.claim(ticketId);
    expect(desktop.hasSessionCookie()).toBe(false);

    // Scripts flushed too: the next transition still works (ioredis reloads them).
    const admin = new Redis(redis.url);
    await admin.script("FLUSH");
    admin.disconnect();
    const fresh = (await (await desktop.fetch("/api/qr", { method: "POST" })).json()).ticketId;
    const { client: phone } = await signInNative(app.url, "alice", "wonderland");
    expect((await phone.fetch(`/api/qr/${fresh}/scan`, { method: "POST" })).status).toBe(200);
    expect((await phone.fetch(`/api/qr/${fresh}/confirm`, { method: "POST" })).status).toBe(200);
    await desktop.claim(fresh);
    expect((await desktop.session()).user?.id).toBe("demo-alice");
  });
});

import { Redis } from "ioredis";
import { beforeAll, describe, expect, it } from "vitest";
import { HttpClient, scanPathOf, signInNative } from "../support/http-client";
import { confirmedTicket, useStack } from "../support/stack";

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
  const stack = useStack();
  let token: string;
  let desktop: HttpClient;
  let ticketId: string;
  /** Where the first ticket's QR pointed (its token included). */
  let scanPath: string;

  beforeAll(async () => {
    const alice = await signInNative(stack.url, "alice", "wonderland");
    token = alice.token;
    // A confirmed ticket (the scan presents the rotating QR's token; confirmedTicket checks
    // both 200s): only the outage refuses its claim.
    const confirmed = await confirmedTicket(stack.url, { phone: alice.client });
    desktop = confirmed.desktop;
    ticketId = confirmed.ticket.ticketId;
    scanPath = scanPathOf(confirmed.ticket.scanUrl);
    await stack.redis.stop();
  });

  it("answers every endpoint with 503 store_unavailable, without hanging", async () => {
    const bearer = { authorization: `Bearer ${token}` };
    const calls: Array<[string, () => Promise<Response>]> = [
      ["create", () => desktop.fetch("/api/qr", { method: "POST" })],
      ["status", () => desktop.fetch(`/api/qr/${ticketId}`)],
      ["cancel", () => desktop.fetch(`/api/qr/${ticketId}`, { method: "DELETE" })],
      ["scan", () => fetch(`${stack.url}${scanPath}`, { method: "POST", headers: bearer })],
      [
        "confirm",
        () => fetch(`${stack.url}/api/qr/${ticketId}/confirm`, { method: "POST", headers: bearer }),
      ],
      [
        "deny",
        () => fetch(`${stack.url}/api/qr/${ticketId}/deny`, { method: "POST", headers: bearer }),
      ],
      ["approval", () => fetch(`${stack.url}/api/qr/${ticketId}/approval`, { headers: bearer })],
      [
        "revoke",
        () =>
          fetch(`${stack.url}/api/mobile/sessions/current`, { method: "DELETE", headers: bearer }),
      ],
      [
        "sign-in",
        () =>
          fetch(`${stack.url}/api/mobile/sessions`, {
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
    const health = await timed(() => fetch(`${stack.url}/api/health`));
    expect(health.res.status).toBe(503);
    expect(health.ms).toBeLessThan(NO_HANG_MS);
    // Liveness does not depend on the store: an orchestrator must not restart a healthy process.
    expect((await fetch(`${stack.url}/api/health/live`)).status).toBe(200);
  });

  it("issues no session when the claim cannot reach the store", async () => {
    await desktop.claim(ticketId);
    expect(desktop.hasSessionCookie()).toBe(false);
  });

  it("recovers when Redis comes back empty: old tickets read as expired, new logins work", async () => {
    await stack.redis.start();
    await expect
      .poll(async () => (await fetch(`${stack.url}/api/health`)).status, { timeout: 5_000 })
      .toBe(200);
    expect((await (await desktop.fetch(`/api/qr/${ticketId}`)).json()).state).toBe("expired");
    await desktop.claim(ticketId);
    expect(desktop.hasSessionCookie()).toBe(false);

    // Scripts flushed too: the next transition still works (ioredis reloads them).
    const admin = new Redis(stack.redis.url);
    await admin.script("FLUSH");
    admin.disconnect();
    const { ticketId: fresh, scanUrl } = await (
      await desktop.fetch("/api/qr", { method: "POST" })
    ).json();
    const { client: phone } = await signInNative(stack.url, "alice", "wonderland");
    expect((await phone.fetch(scanPathOf(scanUrl), { method: "POST" })).status).toBe(200);
    expect((await phone.fetch(`/api/qr/${fresh}/confirm`, { method: "POST" })).status).toBe(200);
    await desktop.claim(fresh);
    expect((await desktop.session()).user?.id).toBe("demo-alice");
  });
});

describe("sign-out during a Redis outage: 503, nothing claimed; the session does not come back unannounced", () => {
  // Persistent (every write on disk, in the server's own folder): a restart brings the data back, as a real outage would.
  const stack = useStack({ redisArgs: ["--appendonly", "yes", "--appendfsync", "always"] });

  it("answers 503 to a sign-out it cannot record, keeps the cookie, and signs out once the store is back", async () => {
    const phone = new HttpClient(stack.url);
    await phone.nextAuthCallback("credentials", { username: "alice", password: "wonderland" });
    expect((await phone.session()).user?.id).toBe("demo-alice");
    const { csrfToken } = (await (await phone.fetch("/api/auth/csrf")).json()) as {
      csrfToken: string;
    };
    const cookie = [...phone.cookies].map(([k, v]) => `${k}=${v}`).join("; ");

    await stack.redis.stop();
    const res = await phone.fetch("/api/auth/signout", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ csrfToken, json: "true" }).toString(),
    });
    expect(res.status).toBe(503);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe(
      "store_unavailable",
    );
    expect(res.headers.getSetCookie().some((c) => c.includes("session-token"))).toBe(false);
    expect(phone.hasSessionCookie()).toBe(true);

    await stack.redis.start();
    await expect
      .poll(async () => (await fetch(`${stack.url}/api/health`)).status, { timeout: 10_000 })
      .toBe(200);
    // Nothing was claimed: the session is as it was; signing out now works and holds.
    expect((await phone.session()).user?.id).toBe("demo-alice");
    const again = await phone.fetch("/api/auth/signout", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ csrfToken, json: "true" }).toString(),
    });
    expect(again.status).toBe(200);
    const replay = new HttpClient(stack.url, { cookie });
    expect((await replay.session()).user).toBeUndefined();
  });
});

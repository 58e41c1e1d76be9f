import { describe, expect, it } from "vitest";
import { HttpClient, signInNative } from "../support/http-client";
import { useStack } from "../support/stack";

/**
 * Limits hold exactly under concurrent bursts: N+10 parallel requests, exactly
 * N allowed. The app trusts one proxy here, so each test picks its own client
 * address with X-Forwarded-For.
 */
describe("rate limits (Redis-backed, atomic)", () => {
  const stack = useStack({
    env: {
      TRUST_PROXY: "1",
      QRL_RATE_CREATE_PER_MIN: "5",
      QRL_RATE_SIGNIN_FAILS: "3",
      QRL_RATE_SIGNIN_FAILS_PER_IP_DAY: "20",
      // The status limit never goes below twice the page's own polling (2 × 60 s / 10 s = 12).
      QRL_RATE_STATUS_PER_MIN: "10",
      QRL_POLL_INTERVAL_MS: "10000",
      QRL_RATE_PASSKEY_BEGIN_PER_MIN: "3",
    },
  });
  let nextIp = 1;
  const freshIp = () => `198.51.100.${nextIp++}`;

  const signIn = (ip: string, username: string, password: string) =>
    fetch(`${stack.url}/api/mobile/sessions`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-forwarded-for": ip },
      body: JSON.stringify({ username, password }),
    });

  async function expectLimited(responses: Response[], allowed: number, allowedStatus: number) {
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === allowedStatus)).toHaveLength(allowed);
    expect(statuses.filter((s) => s === 429)).toHaveLength(responses.length - allowed);
    const limited = responses.find((r) => r.status === 429) as Response;
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await limited.json()).error.code).toBe("rate_limited");
  }

  it("lets exactly 5 of 15 parallel ticket creations from one IP through", async () => {
    const ip = freshIp();
    const burst = await Promise.all(
      Array.from({ length: 15 }, () =>
        fetch(`${stack.url}/api/qr`, { method: "POST", headers: { "x-forwarded-for": ip } }),
      ),
    );
    await expectLimited(burst, 5, 201);
    const other = await fetch(`${stack.url}/api/qr`, {
      method: "POST",
      headers: { "x-forwarded-for": freshIp() },
    });
    expect(other.status).toBe(201);
  });

  it("blocks a username+IP after 3 failed sign-ins in a burst of 13, even with the right password", async () => {
    const ip = freshIp();
    const burst = await Promise.all(Array.from({ length: 13 }, () => signIn(ip, "alice", "guess")));
    await expectLimited(burst, 3, 401);
    expect((await signIn(ip, "alice", "wonderland")).status).toBe(429);
    expect((await signIn(ip, "bob", "builder")).status).toBe(201);
    expect((await signIn(freshIp(), "alice", "wonderland")).status).toBe(201);
  });

  it("resets the username+IP count after a successful sign-in", async () => {
    const ip = freshIp();
    for (let i = 0; i < 2; i++) expect((await signIn(ip, "carol", "wrong")).status).toBe(401);
    expect((await signIn(ip, "carol", "carol-pass")).status).toBe(201);
    for (let i = 0; i < 2; i++) expect((await signIn(ip, "carol", "wrong")).status).toBe(401);
  });

  it("caps failed sign-ins per IP across usernames", async () => {
    const ip = freshIp();
    const names = Array.from({ length: 30 }, (_, i) => `user${i}`);
    const burst = await Promise.all(names.map((name) => signIn(ip, name, "guess")));
    await expectLimited(burst, 20, 401);
  });

  it("limits the phone browser's password sign-in too", async () => {
    const ip = freshIp();
    const phone = new HttpClient(stack.url, { "x-forwarded-for": ip });
    for (let i = 0; i < 3; i++) {
      await phone.nextAuthCallback("credentials", { username: "bob", password: "nope" });
    }
    const blocked = await phone.nextAuthCallback("credentials", {
      username: "bob",
      password: "builder",
    });
    expect(blocked.status).toBe(401);
    const { url } = (await blocked.json()) as { url: string };
    expect(new URL(url).searchParams.get("error")).toMatch(/^Too many attempts/);
    expect(phone.hasSessionCookie()).toBe(false);
  });

  it("slows a client that hammers one ticket's status", async () => {
    const desktop = new HttpClient(stack.url, { "x-forwarded-for": freshIp() });
    const { ticketId } = await (await desktop.fetch("/api/qr", { method: "POST" })).json();
    const statuses: number[] = [];
    for (let i = 0; i < 16; i++) statuses.push((await desktop.fetch(`/api/qr/${ticketId}`)).status);
    expect(statuses.slice(0, 12)).toEqual(Array(12).fill(200));
    expect(statuses.slice(12)).toEqual(Array(4).fill(429));
  });

  it("slows a phone that hammers the approval it follows, per ticket and reader, as the status", async () => {
    const ip = freshIp();
    const phone = (await signInNative(stack.url, "bob", "builder", { "x-forwarded-for": ip }))
      .client;
    const desktop = new HttpClient(stack.url, { "x-forwarded-for": ip });
    const opened = async () => {
      const created = await (await desktop.fetch("/api/qr", { method: "POST" })).json();
      const { ticketId, scanUrl } = created as { ticketId: string; scanUrl: string };
      const scan = await phone.fetch(`/api/qr/${ticketId}/scan${new URL(scanUrl).search}`, {
        method: "POST",
      });
      expect(scan.status).toBe(200);
      return ticketId;
    };
    const ticketId = await opened();
    const reads: Response[] = [];
    for (let i = 0; i < 16; i++) reads.push(await phone.fetch(`/api/qr/${ticketId}/approval`));
    expect(reads.slice(0, 12).map((r) => r.status)).toEqual(Array(12).fill(200));
    await expectLimited(reads, 12, 200);
    // Another ticket of the same phone is its own count.
    expect((await phone.fetch(`/api/qr/${await opened()}/approval`)).status).toBe(200);
  });

  it("limits a ticket's passkey challenges with the account's other passkey challenges", async () => {
    const ip = freshIp();
    const phone = (await signInNative(stack.url, "carol", "carol-pass", { "x-forwarded-for": ip }))
      .client;
    const desktop = new HttpClient(stack.url, { "x-forwarded-for": ip });
    const created = await (await desktop.fetch("/api/qr", { method: "POST" })).json();
    const { ticketId, scanUrl } = created as { ticketId: string; scanUrl: string };
    const scan = `/api/qr/${ticketId}/scan${new URL(scanUrl).search}`;
    expect((await phone.fetch(scan, { method: "POST" })).status).toBe(200);
    const begins = await Promise.all(
      Array.from({ length: 8 }, () =>
        phone.fetch(`/api/qr/${ticketId}/passkey/begin`, { method: "POST" }),
      ),
    );
    // Carol has no passkey: the allowed ones are refused for that, in the error shape; the rest 429.
    const statuses = begins.map((r) => r.status);
    expect(statuses.filter((s) => s === 429)).toHaveLength(5);
    const limited = begins.find((r) => r.status === 429) as Response;
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await limited.json()).error.code).toBe("rate_limited");
  });
});

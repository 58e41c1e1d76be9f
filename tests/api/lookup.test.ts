import { describe, expect, it } from "vitest";
import { HttpClient, scanPathOf } from "../support/http-client";
import { useStack } from "../support/stack";

const USERS = Array.from({ length: 30 }, (_, i) => `user${i}:pass-${i}:User ${i}`).join(",");
const PER_USER = 5;
const PER_IP = 12;

/**
 * The type-a-code path, its limits and the relayed-QR warnings, against the
 * production build. The app trusts one proxy, so each request picks its
 * client address with X-Forwarded-For.
 */
describe("user-code lookup and scan warnings", () => {
  const stack = useStack({
    env: {
      TRUST_PROXY: "1",
      QRL_DEMO_USERS: USERS,
      QRL_RATE_LOOKUP_PER_USER: String(PER_USER),
      QRL_RATE_LOOKUP_PER_IP: String(PER_IP),
    },
  });
  let nextUser = 0;
  let nextIp = 1;
  const freshIp = () => `198.51.${nextIp++}.10`;
  /** A native app signed in as a user no other test used, sending from `ip`. */
  async function phone(ip: string) {
    const i = nextUser++;
    const res = await fetch(`${stack.url}/api/mobile/sessions`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-forwarded-for": ip },
      body: JSON.stringify({ username: `user${i}`, password: `pass-${i}` }),
    });
    expect(res.status).toBe(201);
    const { token } = (await res.json()) as { token: string };
    return new HttpClient(stack.url, { authorization: `Bearer ${token}`, "x-forwarded-for": ip });
  }

  async function desktop(ip: string) {
    const client = new HttpClient(stack.url, { "x-forwarded-for": ip });
    const res = await client.fetch("/api/qr", { method: "POST" });
    expect(res.status).toBe(201);
    const ticket = (await res.json()) as { ticketId: string; scanUrl: string; userCode: string };
    // The page follows its ticket (a typed code finds only a ticket a page still follows).
    expect((await client.fetch(`/api/qr/${ticket.ticketId}`)).status).toBe(200);
    return { client, ...ticket };
  }

  const lookup = (client: HttpClient, userCode: string) =>
    client.fetch("/api/qr/lookup", { method: "POST", json: { userCode } });

  /** A well-formed code that names no ticket (codes are random; this one is never issued twice). */
  const wrongCode = (i: number) => {
    const letters = "BCDFGHJKLMNPQRSTVWXZ";
    const tail = [...i.toString(20).padStart(4, "0")].map((d) => letters[parseInt(d, 20)]);
    return `ZZZZ-${tail.join("")}`;
  };

  it("finds the ticket from the code typed in lower case, with or without the dash", async () => {
    const ip = freshIp();
    const { ticketId, userCode } = await desktop(ip);
    const alice = await phone(ip);
    let qrToken = "";
    for (const typed of [userCode.toLowerCase(), userCode.replace("-", ""), ` ${userCode} `]) {
      const res = await lookup(alice, typed);
      expect(res.status).toBe(200);
      expect(res.headers.get("cache-control")).toBe("no-store");
      // The token of the QR on screen now (the first one's: slot 0).
      const found = (await res.json()) as { ticketId: string; qrToken: string };
      expect(found).toEqual({
        ticketId,
        qrToken: expect.stringMatching(/^0\.[\w-]{16}$/),
      });
      qrToken = found.qrToken;
    }
    // Then exactly as after a scan, with the token the lookup gave.
    const scan = await alice.fetch(`/api/qr/${ticketId}/scan?t=${encodeURIComponent(qrToken)}`, {
      method: "POST",
    });
    expect(scan.status).toBe(200);
    expect((await scan.json()).userCode).toBe(userCode);
  });

  it("answers 404 for a code that names no ticket, 400 for one that cannot be a code, 401 signed out", async () => {
    const alice = await phone(freshIp());
    const missing = await lookup(alice, "BCDF-GHJK");
    expect(missing.status).toBe(404);
    expect((await missing.json()).error.code).toBe("not_found");
    for (const bad of ["BCDF-GH0K", "AEIO-UBCD", "BCD", "x".repeat(65)]) {
      const res = await lookup(alice, bad);
      expect(res.status).toBe(400);
      expect((await res.json()).error.code).toBe("invalid_request");
    }
    const res = await fetch(`${stack.url}/api/qr/lookup`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ userCode: "BCDF-GHJK" }),
    });
    expect(res.status).toBe(401);
  });

  it(`cuts off brute force per user: of ${PER_USER + 10} parallel wrong guesses, exactly ${PER_USER} are looked up`, async () => {
    const ip = freshIp();
    const { userCode } = await desktop(ip);
    const attacker = await phone(ip);
    const burst = await Promise.all(
      Array.from({ length: PER_USER + 10 }, (_, i) => lookup(attacker, wrongCode(i))),
    );
    const statuses = burst.map((r) => r.status);
    expect(statuses.filter((s) => s === 404)).toHaveLength(PER_USER);
    expect(statuses.filter((s) => s === 429)).toHaveLength(10);
    const limited = burst.find((r) => r.status === 429) as Response;
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await limited.json()).error.code).toBe("rate_limited");
    // Even the right code is refused now, from any address; other users are unaffected.
    expect((await lookup(attacker, userCode)).status).toBe(429);
    expect((await lookup(await phone(freshIp()), userCode)).status).toBe(200);
  });

  it(`cuts off brute force per IP across users: ${PER_IP} of ${PER_IP + 3} parallel guesses`, async () => {
    const ip = freshIp();
    const users = [await phone(ip), await phone(ip), await phone(ip)];
    const guesses = users.flatMap((user, u) =>
      Array.from({ length: PER_USER }, (_, i) => lookup(user, wrongCode(100 + u * 10 + i))),
    );
    const statuses = (await Promise.all(guesses)).map((r) => r.status);
    expect(statuses.filter((s) => s === 404)).toHaveLength(PER_IP);
    expect(statuses.filter((s) => s === 429)).toHaveLength(3);
  });

  it("gives found codes back: only misses use up the allowance", async () => {
    const ip = freshIp();
    const { userCode } = await desktop(ip);
    const alice = await phone(ip);
    for (let i = 0; i < PER_USER + 3; i++) expect((await lookup(alice, userCode)).status).toBe(200);
    for (let i = 0; i < PER_USER; i++)
      expect((await lookup(alice, wrongCode(200 + i))).status).toBe(404);
    expect((await lookup(alice, wrongCode(300))).status).toBe(429);
  });

  describe("relayed-QR warnings on scan", () => {
    async function scanFrom(desktopIp: string, phoneIp: string) {
      const { ticketId, scanUrl } = await desktop(desktopIp);
      const res = await (await phone(phoneIp)).fetch(scanPathOf(scanUrl), { method: "POST" });
      expect(res.status).toBe(200);
      return { ticketId, body: (await res.json()) as { warnings: string[] } };
    }

    it("warns when the computer asks from a different network than the phone, and logs it", async () => {
      const { body } = await scanFrom("198.51.100.7", "203.0.113.9");
      expect(body.warnings).toEqual(["different_network"]);
      const local = await scanFrom("203.0.113.9", "192.168.1.20");
      expect(local.body.warnings).toEqual(["different_network"]);
      // The audit line reaches this process's pipe a moment after the response: poll for it.
      const lines = () =>
        stack.app
          .output()
          .split("\n")
          .filter((l) => l.includes('"audit":"scan_warning"') && l.endsWith("}"))
          .map((l) => JSON.parse(l) as Record<string, unknown>);
      await expect.poll(lines, { timeout: 10_000 }).toContainEqual(
        expect.objectContaining({
          outcome: "different_network",
          ip: "203.0.113.9",
          requesterIp: "198.51.100.7",
        }),
      );
    });

    it("does not warn on the same network", async () => {
      expect((await scanFrom("203.0.113.9", "203.0.113.9")).body.warnings).toEqual([]);
      expect((await scanFrom("203.0.113.9", "203.0.113.77")).body.warnings).toEqual([]);
      expect((await scanFrom("192.168.1.5", "10.0.0.8")).body.warnings).toEqual([]);
      expect((await scanFrom("2001:db8:5:6::1", "2001:db8:5:6::99")).body.warnings).toEqual([]);
    });
  });
});

import { type ChildProcess, spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { SHARED_SECRET, TEST_USERS } from "../support/app-server";
import { HttpClient, scanPathOf, signInNative } from "../support/http-client";
import { freePort } from "../support/redis-server";
import { useStack } from "../support/stack";

/**
 * Issue 13: limits and client addresses that a client could sidestep or
 * choose. Spellings of one username, the addresses of one IPv6 /64 and one
 * address written with a port all count as one client; an address is never
 * taken from a header the client controls, and on https only the prefixed
 * binding cookie counts. All against the production build.
 */

const FAILS = 3;
const FAILS_PER_IP = 20;
const CREATES = 5;
const LOOKUPS_PER_IP = 4;

/** What the phone got from a wrong-password sign-in: refused (401) or limited (429). */
type Outcome = "refused" | "limited" | `other ${string}`;

async function nativeOutcome(res: Response): Promise<Outcome> {
  if (res.status === 401) return "refused";
  if (res.status === 429) return "limited";
  return `other ${res.status} ${await res.text()}`;
}

/** next-auth answers both with 401; the error in its redirect URL tells them apart. */
async function browserOutcome(res: Response): Promise<Outcome> {
  const { url } = (await res.json()) as { url: string };
  const error = new URL(url).searchParams.get("error") ?? "";
  if (res.status === 401 && error === "CredentialsSignin") return "refused";
  if (res.status === 401 && error.startsWith("Too many attempts")) return "limited";
  return `other ${res.status} ${error}`;
}

const expected = (total: number, allowed = FAILS): Outcome[] =>
  Array.from({ length: total }, (_, i) => (i < allowed ? "refused" : "limited"));

/** Every way a person (or a script) might type "alice": all one account, one limit. */
const SPELLINGS = [
  "alice",
  " alice",
  "alice\t",
  "\u00a0alice",
  "alice\u3000",
  "ALICE",
  "\u2003Alice\u2009",
  "ＡＬＩＣＥ",
];

describe("limits behind a trusted proxy", () => {
  const stack = useStack({
    env: {
      TRUST_PROXY: "1",
      QRL_RATE_SIGNIN_FAILS: String(FAILS),
      QRL_RATE_SIGNIN_FAILS_PER_IP_DAY: String(FAILS_PER_IP),
      QRL_RATE_CREATE_PER_MIN: String(CREATES),
      QRL_RATE_LOOKUP_PER_IP: String(LOOKUPS_PER_IP),
      QRL_RATE_LOOKUP_PER_USER: "1000",
    },
  });
  let next = 1;
  const freshIp = () => `198.51.${next++}.10`;

  const signIn = (ip: string, username: string, password: string) =>
    fetch(`${stack.url}/api/mobile/sessions`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-forwarded-for": ip },
      body: JSON.stringify({ username, password }),
    });

  const browserSignIn = (ip: string, username: string, password: string) =>
    new HttpClient(stack.url, { "x-forwarded-for": ip }).nextAuthCallback("credentials", {
      username,
      password,
    });

  const create = (ip: string) =>
    new HttpClient(stack.url, { "x-forwarded-for": ip }).fetch("/api/qr", { method: "POST" });

  /** The requester as the phone sees it when it scans a ticket the computer made from `desktopIp`. */
  async function scanFrom(desktopIp: string, phoneIp: string) {
    const created = await create(desktopIp);
    expect(created.status).toBe(201);
    const { scanUrl } = (await created.json()) as { scanUrl: string };
    const { client } = await signInNative(stack.url, "bob", "builder", {
      "x-forwarded-for": phoneIp,
    });
    const res = await client.fetch(scanPathOf(scanUrl), { method: "POST" });
    expect(res.status).toBe(200);
    return (await res.json()) as { requester: { ip: string }; warnings: string[] };
  }

  describe("one username, however it is spelled, has one count of wrong passwords", () => {
    it("on the native app's sign-in", async () => {
      const ip = freshIp();
      const outcomes: Outcome[] = [];
      for (const username of SPELLINGS) {
        outcomes.push(await nativeOutcome(await signIn(ip, username, "wrong")));
      }
      expect(outcomes).toEqual(expected(SPELLINGS.length));
      expect((await signIn(ip, "ＡＬＩＣＥ", "wonderland")).status).toBe(429);
      // The odd spellings do reach the account: from another address, with the right password.
      for (const username of ["ＡＬＩＣＥ", "alice\u3000", "\u00a0Alice"]) {
        expect((await signIn(freshIp(), username, "wonderland")).status, username).toBe(201);
      }
    });

    it("on the phone browser's password sign-in (next-auth)", async () => {
      const ip = freshIp();
      const outcomes: Outcome[] = [];
      for (const username of [...SPELLINGS].reverse()) {
        outcomes.push(await browserOutcome(await browserSignIn(ip, username, "wrong")));
      }
      expect(outcomes).toEqual(expected(SPELLINGS.length));
    });

    it("across both sign-in paths", async () => {
      const ip = freshIp();
      const outcomes = [
        await nativeOutcome(await signIn(ip, "alice", "wrong")),
        await browserOutcome(await browserSignIn(ip, " ALICE", "wrong")),
        await nativeOutcome(await signIn(ip, "alice\u3000", "wrong")),
        await browserOutcome(await browserSignIn(ip, "\talice\u00a0", "wrong")),
        await nativeOutcome(await signIn(ip, "Ａｌｉｃｅ", "wrong")),
      ];
      expect(outcomes).toEqual(expected(5));
    });
  });

  describe("an IPv6 client is limited per /64", () => {
    const in64 = (prefix: string, n: number) => `${prefix}::${n.toString(16)}`;

    it("counts wrong passwords from every address of one /64 together, however written", async () => {
      const addresses = Array.from({ length: 12 }, (_, i) => in64("2001:db8:1:2", i + 1));
      addresses.push("[2001:db8:1:2::d]:443", "2001:DB8:1:2:0:0:0:e", "2001:db8:1:2:ffff::1");
      const outcomes: Outcome[] = [];
      for (const ip of addresses) {
        outcomes.push(await nativeOutcome(await signIn(ip, "alice", "wrong")));
      }
      expect(outcomes).toEqual(expected(addresses.length));
      // The next /64 is another client.
      expect((await signIn("2001:db8:1:3::1", "alice", "wonderland")).status).toBe(201);
    });

    it("and on the browser path", async () => {
      const outcomes: Outcome[] = [];
      for (let i = 1; i <= 6; i++) {
        outcomes.push(
          await browserOutcome(await browserSignIn(in64("2001:db8:1:4", i), "bob", "wrong")),
        );
      }
      expect(outcomes).toEqual(expected(6));
    });

    it(`caps failed sign-ins per /64 across usernames at ${FAILS_PER_IP}`, async () => {
      const burst = await Promise.all(
        Array.from({ length: FAILS_PER_IP + 5 }, (_, i) =>
          signIn(in64("2001:db8:2:2", i + 1), `nobody${i}`, "guess"),
        ),
      );
      const statuses = burst.map((r) => r.status);
      expect(statuses.filter((s) => s === 401)).toHaveLength(FAILS_PER_IP);
      expect(statuses.filter((s) => s === 429)).toHaveLength(5);
    });

    it(`lets ${CREATES} ticket creations per minute through from one /64`, async () => {
      const burst = await Promise.all(
        Array.from({ length: CREATES + 3 }, (_, i) => create(in64("2001:db8:3:3", i + 1))),
      );
      const statuses = burst.map((r) => r.status);
      expect(statuses.filter((s) => s === 201)).toHaveLength(CREATES);
      expect(statuses.filter((s) => s === 429)).toHaveLength(3);
      expect((await create("2001:db8:3:4::1")).status).toBe(201);
    });

    it(`lets ${LOOKUPS_PER_IP} wrong code lookups through from one /64`, async () => {
      const { token } = await signInNative(stack.url, "carol", "carol-pass", {
        "x-forwarded-for": freshIp(),
      });
      const statuses: number[] = [];
      for (let i = 1; i <= LOOKUPS_PER_IP + 2; i++) {
        const res = await fetch(`${stack.url}/api/qr/lookup`, {
          method: "POST",
          headers: {
            "content-type": "application/json",
            authorization: `Bearer ${token}`,
            "x-forwarded-for": in64("2001:db8:4:4", i),
          },
          body: JSON.stringify({ userCode: `ZZZZ-ZZZ${"BCDFGHJK"[i]}` }),
        });
        statuses.push(res.status);
      }
      expect(statuses).toEqual([...Array(LOOKUPS_PER_IP).fill(404), 429, 429]);
    });
  });

  describe("addresses with ports and brackets are the address", () => {
    it("counts 203.0.113.7:port as 203.0.113.7", async () => {
      const addresses = [
        "203.0.113.7:1000",
        "203.0.113.7:1001",
        "203.0.113.7",
        "::ffff:203.0.113.7",
        "[::ffff:203.0.113.7]:80",
        "203.0.113.7:1002",
      ];
      const outcomes: Outcome[] = [];
      for (const ip of addresses) {
        outcomes.push(await nativeOutcome(await signIn(ip, "carol", "wrong")));
      }
      expect(outcomes).toEqual(expected(addresses.length));
    });

    it("still warns the phone of a different network", async () => {
      const v4 = await scanFrom("203.0.113.70:1000", "198.51.200.20");
      expect(v4.requester.ip).toBe("203.0.113.70");
      expect(v4.warnings).toContain("different_network");
      const v6 = await scanFrom("[2001:db8:9::1]:443", "2001:db8:ffff::1");
      expect(v6.requester.ip).toBe("2001:db8:9::1");
      expect(v6.warnings).toContain("different_network");
      const same = await scanFrom("[2001:db8:9::1]", "2001:db8:9::2");
      expect(same.warnings).not.toContain("different_network");
    });

    it("makes no address of garbage: it is unknown, and all of it one client", async () => {
      const shown = await scanFrom("not-an-ip", freshIp());
      expect(shown.requester.ip).toBe("unknown");
      expect(shown.warnings).not.toContain("different_network");
      const statuses: number[] = [];
      for (const ip of [
        "<script>x</script>",
        "203.0.113.7:x",
        "[2001:db8::1",
        "1.2.3",
        "999.1.1.1",
      ]) {
        statuses.push((await create(ip)).status);
      }
      // One creation above, CREATES - 1 more, then the one bucket for "unknown" is empty.
      expect(statuses).toEqual([...Array(CREATES - 1).fill(201), 429]);
    });
  });

  it("on plain http reads only the bare binding cookie", async () => {
    const created = await create(freshIp());
    const cookie = created.headers.getSetCookie()[0]?.split(";")[0] ?? "";
    const { ticketId } = (await created.json()) as { ticketId: string };
    expect(cookie.startsWith(`qrl-${ticketId}=`)).toBe(true);
    const status = (c: string) =>
      fetch(`${stack.url}/api/qr/${ticketId}`, { headers: { cookie: c } });
    expect((await status(cookie)).status).toBe(200);
    expect((await status(`__Host-${cookie}`)).status).toBe(404);
  });
});

describe("the client address is never a header the client wrote", () => {
  const FORGED = "203.0.113.9";

  async function requesterSeen(url: string, desktopHeaders: Record<string, string>) {
    const desktop = new HttpClient(url, desktopHeaders);
    const created = await desktop.fetch("/api/qr", { method: "POST" });
    expect(created.status).toBe(201);
    const { scanUrl } = (await created.json()) as { scanUrl: string };
    const { client } = await signInNative(url, "bob", "builder", { "x-qrl-peer": FORGED });
    const res = await client.fetch(scanPathOf(scanUrl), { method: "POST" });
    expect(res.status).toBe(200);
    return (await res.json()) as { requester: { ip: string }; warnings: string[] };
  }

  describe("started with `next start` (no server.mjs in front)", () => {
    let child: ChildProcess;
    let url: string;
    let output = "";

    beforeAll(async () => {
      const port = await freePort();
      url = `http://127.0.0.1:${port}`;
      // The environment startApp gives server.mjs, minus what only server.mjs reads.
      child = spawn(
        process.execPath,
        ["node_modules/next/dist/bin/next", "start", "-p", String(port), "-H", "127.0.0.1"],
        {
          env: {
            PATH: process.env.PATH ?? "",
            ...(process.env.NEXT_DIST_DIR ? { NEXT_DIST_DIR: process.env.NEXT_DIST_DIR } : {}),
            NODE_ENV: "production",
            NEXTAUTH_SECRET: SHARED_SECRET,
            NEXTAUTH_URL: url,
            QRL_DEMO_USERS: TEST_USERS,
            QRL_STORE: "memory",
            QRL_RATE_CREATE_PER_MIN: String(CREATES),
          },
          stdio: ["ignore", "pipe", "pipe"],
        },
      );
      child.stdout?.on("data", (chunk) => {
        output += chunk;
      });
      child.stderr?.on("data", (chunk) => {
        output += chunk;
      });
      await vi.waitFor(
        async () => {
          if (child?.exitCode !== null) throw new Error(`next start exited:\n${output}`);
          const res = await fetch(`${url}/api/health`).catch(() => null);
          if (res?.status !== 200) throw new Error(`next start did not start:\n${output}`);
        },
        { timeout: 30_000, interval: 100 },
      );
    });
    afterAll(async () => {
      if (!child || child.exitCode !== null) return;
      await new Promise((resolve) => {
        child.once("exit", resolve);
        child.kill("SIGTERM");
      });
    });

    it("does not show the phone an address the computer wrote in X-QRL-Peer", async () => {
      const seen = await requesterSeen(url, { "x-qrl-peer": FORGED });
      expect(seen.requester.ip).not.toBe(FORGED);
      expect(seen.requester.ip).toBe("unknown");
    });

    it("does not key limits by X-QRL-Peer: a new value each time is no new client", async () => {
      // One creation above; the rest of the allowance, then 429 whatever the header says.
      const statuses: number[] = [];
      for (let i = 0; i < CREATES; i++) {
        const res = await fetch(`${url}/api/qr`, {
          method: "POST",
          headers: { "x-qrl-peer": `203.0.113.${20 + i}` },
        });
        statuses.push(res.status);
      }
      expect(statuses).toEqual([...Array(CREATES - 1).fill(201), 429]);
    });
  });

  describe("behind server.mjs, over https", () => {
    const https = useStack({ store: "memory", env: { PUBLIC_URL: "https://login.example.test" } });

    it("shows the socket's address, not a forged X-QRL-Peer", async () => {
      const seen = await requesterSeen(https.url, { "x-qrl-peer": FORGED });
      expect(seen.requester.ip).toBe("127.0.0.1");
      // Both ends are this machine whatever they claimed: no network warning.
      expect(seen.warnings).not.toContain("different_network");
    });

    it("reads only the __Host- binding cookie: the bare name is a 404", async () => {
      const created = await fetch(`${https.url}/api/qr`, { method: "POST" });
      const { ticketId } = (await created.json()) as { ticketId: string };
      const set = created.headers.getSetCookie()[0]?.split(";")[0] ?? "";
      expect(set.startsWith(`__Host-qrl-${ticketId}=`)).toBe(true);
      const bare = set.slice("__Host-".length);
      const status = (cookie: string) =>
        fetch(`${https.url}/api/qr/${ticketId}`, { headers: { cookie } });
      expect((await status(set)).status).toBe(200);
      const refused = await status(bare);
      expect(refused.status).toBe(404);
      expect((await refused.json()).error.code).toBe("not_found");
      // Nor does the bare cookie cancel the ticket.
      const cancel = await fetch(`${https.url}/api/qr/${ticketId}`, {
        method: "DELETE",
        headers: { cookie: bare },
      });
      expect(cancel.status).toBe(404);
      expect((await status(set)).status).toBe(200);
    });
  });
});

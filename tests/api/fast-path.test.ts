import { describe, expect, it } from "vitest";
import type { AppServer } from "../support/app-server";
import { useStack } from "../support/stack";

/**
 * server.mjs serves `GET /api/qr/{ticketId}` itself (lib/server/fast-status.ts)
 * only when the segment is a ticket id by the route's own schema. Any other
 * path under /api/qr/ — another route, a future one, a malformed id — must
 * get exactly the answer Next.js gives with the fast path off.
 */
describe("status fast path: only ticket ids", () => {
  const fast = useStack({ store: "memory", env: { QRL_FAST_STATUS: "true" } });
  const plain = useStack({ store: "memory", env: { QRL_FAST_STATUS: "false" } });

  async function answer(app: AppServer, path: string) {
    const res = await fetch(`${app.url}${path}`);
    const body = await res.text();
    return {
      status: res.status,
      type: res.headers.get("content-type"),
      // Pages differ per response only in their nonces and build ids.
      body: body.replace(/nonce="[^"]*"|"buildId":"[^"]*"/g, ""),
      nextRouted: res.headers.get("vary")?.includes("rsc") ?? false,
    };
  }

  const paths = [
    "/api/qr/lookup", // a sibling route (POST only): its 405, not "not a ticket id"
    "/api/qr/stats", // a route that does not exist (yet)
    "/api/qr/not-a-ticket-id", // a malformed id: the route's own 400
    `/api/qr/${"A".repeat(23)}`, // one character short
    `/api/qr/${"A".repeat(24)}/extra`,
  ];

  for (const path of paths) {
    it(`leaves ${path} to Next.js`, async () => {
      const [f, p] = await Promise.all([answer(fast.app, path), answer(plain.app, path)]);
      expect(f.nextRouted).toBe(true);
      expect(f).toEqual(p);
    });
  }

  it("serves a ticket id itself, with the same answer as Next.js", async () => {
    const id = "B".repeat(24);
    const [f, p] = await Promise.all([
      answer(fast.app, `/api/qr/${id}`),
      answer(plain.app, `/api/qr/${id}`),
    ]);
    expect(f.nextRouted).toBe(false);
    expect(p.nextRouted).toBe(true);
    expect({ ...f, nextRouted: true }).toEqual(p);
    expect(f.status).toBe(404);
  });
});

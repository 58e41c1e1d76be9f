import { describe, expect, it } from "vitest";
import type { AppServer } from "../support/app-server";
import { useStack } from "../support/stack";

/**
 * server.mjs serves the JSON API itself (lib/server/fast-api.ts): every route
 * of app/api/routes.ts, run through its own `route()` wrapper, found by its
 * path. Each answer must be exactly the one Next.js gives with the fast path
 * off; and what the table does not name (next-auth, an unknown path, a method
 * the path does not serve) is still Next.js's.
 */
describe("API fast path: Next.js's answers without Next.js", () => {
  const fast = useStack({ store: "memory" });
  const plain = useStack({
    store: "memory",
    env: { QRL_FAST_STATUS: "false", QRL_FAST_API: "false" },
  });

  async function answer(
    app: AppServer,
    path: string,
    request: RequestInit | (() => RequestInit) = {},
  ) {
    const init = typeof request === "function" ? request() : request;
    const res = await fetch(`${app.url}${path}`, { redirect: "manual", ...init });
    // Each instance names itself (next-auth's URLs).
    const body = (await res.text()).replaceAll(app.url, "ORIGIN");
    return {
      status: res.status,
      type: res.headers.get("content-type"),
      allow: res.headers.get("allow"),
      retryAfter: res.headers.get("retry-after"),
      nosniff: res.headers.get("x-content-type-options"),
      cache: res.headers.get("cache-control"),
      // Pages differ per response only in their nonces and build ids.
      body: body.replace(/nonce="[^"]*"|"buildId":"[^"]*"/g, ""),
      // Next.js says Vary: rsc… on what it routed.
      nextRouted: res.headers.get("vary")?.includes("rsc") ?? false,
    };
  }

  const id = "B".repeat(24);
  /** A body sent in chunks, with no Content-Length (the guard refuses a declared one over 8 KiB itself). */
  const chunked = (text: string) =>
    new ReadableStream<Uint8Array>({
      start(controller) {
        const bytes = new TextEncoder().encode(`{"code":"${text}"}`);
        for (let i = 0; i < bytes.length; i += 1024) controller.enqueue(bytes.slice(i, i + 1024));
        controller.close();
      },
    });
  const json = { "Content-Type": "application/json" };
  /** What to ask: a name, a path, and the request (a function: a streamed body is sent once). */
  const served: [string, string, (RequestInit | (() => RequestInit))?][] = [
    ["a ticket id's status (unknown: 404)", `/api/qr/${id}`],
    ["a malformed id: the route's own 400", "/api/qr/not-a-ticket-id"],
    ["one character short", `/api/qr/${"A".repeat(23)}`],
    ["HEAD of a status", `/api/qr/${id}`, { method: "HEAD" }],
    ["a confirm without a phone session (401)", `/api/qr/${id}/confirm`, { method: "POST" }],
    [
      "a cancel from another site (403)",
      `/api/qr/${id}`,
      { method: "DELETE", headers: { "Sec-Fetch-Site": "cross-site" } },
    ],
    [
      "a lookup that is not JSON (400)",
      "/api/qr/lookup",
      { method: "POST", headers: json, body: "{" },
    ],
    [
      "a lookup that is not JSON by its type (415)",
      "/api/qr/lookup",
      { method: "POST", headers: { "Content-Type": "text/plain" }, body: "{}" },
    ],
    [
      "a chunked body over 8 KiB (413)",
      "/api/qr/lookup",
      () =>
        ({
          method: "POST",
          headers: json,
          body: chunked("x".repeat(9000)),
          duplex: "half",
        }) as RequestInit,
    ],
    ["the liveness check", "/api/health/live"],
    ["the API document", "/api/openapi.json"],
    ["the metrics without a token (404)", "/api/metrics"],
    ["an escaped id", `/api/qr/%42${"B".repeat(23)}`],
  ];

  for (const [what, path, init] of served) {
    it(`serves ${what} itself, as Next.js would`, async () => {
      const [f, p] = await Promise.all([
        answer(fast.app, path, init),
        answer(plain.app, path, init),
      ]);
      expect(f.nextRouted).toBe(false);
      expect(p.nextRouted).toBe(true);
      expect({ ...f, nextRouted: true }).toEqual(p);
    });
  }

  const left: [string, string, RequestInit?][] = [
    ["a method the path does not serve: Next.js's 405 with Allow", "/api/qr/lookup"],
    ["a path no route has", "/api/qr/stats/x"],
    ["an unknown API path", "/api/nope"],
    ["a path a route's name only resembles", "/api/openapiXjson"],
    ["next-auth's own routes", "/api/auth/providers"],
    ["a broken escape", "/api/qr/%E0%A4%A"],
    ["a trailing slash", `/api/qr/${id}/`],
  ];

  for (const [what, path, init] of left) {
    it(`leaves ${what} to Next.js`, async () => {
      const [f, p] = await Promise.all([
        answer(fast.app, path, init),
        answer(plain.app, path, init),
      ]);
      expect(f.nextRouted || f.status >= 300).toBe(true);
      expect(f).toEqual(p);
    });
  }
});

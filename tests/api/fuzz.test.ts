import { readFile } from "node:fs/promises";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { rawRequest } from "../support/raw-http";
import { useStack } from "../support/stack";

/**
 * Property-based fuzzing of every route against the production build: each
 * generated request is wrong in at least one way (id, body, type, size,
 * cookie, token, origin). Property: a 4xx in the error shape, never a 5xx,
 * and no ticket or user code is ever written.
 */

const weirdText = fc.oneof(
  fc.string({ unit: "grapheme", maxLength: 40 }),
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.constantFrom(
    "__proto__",
    "constructor",
    "../..",
    "%00",
    "\u202e",
    "😀".repeat(30),
    "null",
    "A".repeat(2000),
  ),
);
// Valid-looking ids (24 URL-safe characters, unknown to the server) and outright malformed ones.
const ticketId = fc.oneof(
  fc.stringMatching(/^[A-Za-z0-9_-]{24}$/),
  weirdText.filter((s) => s.length > 0).map(encodeURIComponent),
);
const jsonBody = fc.oneof(
  fc.jsonValue().map((v) => JSON.stringify(v)),
  fc.record({ username: fc.anything(), password: fc.anything() }).map((v) => JSON.stringify(v)),
  fc.record({ userCode: fc.oneof(fc.anything(), weirdText) }).map((v) => JSON.stringify(v)),
  fc.constant('{"__proto__":{"username":"alice","password":"wonderland"}}'),
  fc.constant('{"constructor":{"prototype":{"admin":true}}}'),
  fc.string({ maxLength: 200 }),
  fc.constant(JSON.stringify({ username: "x".repeat(9000), password: "y" })),
);
const contentType = fc.constantFrom(
  "application/json",
  "text/plain",
  "application/x-www-form-urlencoded",
  "multipart/form-data; boundary=x",
  "application/json; charset=utf-16",
  "",
);
const cookie = fc.option(
  fc.oneof(
    weirdText.map((v) => `qrl-${"A".repeat(24)}=${encodeURIComponent(v)}`),
    fc.constant("next-auth.session-token=garbage.garbage.garbage"),
    fc.string({ maxLength: 100 }).map((v) => v.replace(/[\r\n]/g, "")),
  ),
  { nil: undefined },
);
const authorization = fc.option(
  fc.oneof(
    fc.constant("Bearer "),
    fc.string({ maxLength: 60 }).map((v) => `Bearer qrlm_${v.replace(/[\r\n]/g, "")}`),
    weirdText.map((v) => `Basic ${Buffer.from(v).toString("base64")}`),
  ),
  { nil: undefined },
);

interface Fuzzed {
  method: string;
  path: string;
  body?: string;
  headers: Record<string, string>;
}

const anyRequest: fc.Arbitrary<Fuzzed> = fc
  .record({
    target: fc.oneof(
      fc.record({
        method: fc.constantFrom("GET", "DELETE"),
        path: ticketId.map((id) => `/api/qr/${id}`),
      }),
      fc.record({
        method: fc.constant("GET"),
        path: fc
          .tuple(ticketId, weirdText, weirdText)
          .map(
            ([id, s, w]) =>
              `/api/qr/${id}?since=${encodeURIComponent(s)}&wait=${encodeURIComponent(w)}`,
          ),
      }),
      fc.record({
        method: fc.constant("POST"),
        path: fc
          .tuple(ticketId, fc.constantFrom("scan", "confirm", "deny", "report"))
          .map(([id, a]) => `/api/qr/${id}/${a}`),
      }),
      fc.record({ method: fc.constant("POST"), path: fc.constant("/api/qr/lookup") }),
      fc.record({ method: fc.constantFrom("GET", "DELETE"), path: fc.constant("/api/sessions") }),
      fc.record({
        method: fc.constant("DELETE"),
        path: ticketId.map((id) => `/api/sessions/${id}`),
      }),
      fc.record({
        method: fc.constant("POST"),
        path: ticketId.map((id) => `/api/sessions/${id}/report`),
      }),
      fc.record({ method: fc.constant("POST"), path: fc.constant("/api/mobile/sessions") }),
      fc.record({
        method: fc.constant("DELETE"),
        path: fc.constant("/api/mobile/sessions/current"),
      }),
      fc.record({ method: fc.constant("POST"), path: fc.constant("/api/accounts") }),
      fc.record({
        method: fc.constantFrom("GET", "PATCH", "DELETE"),
        path: fc.constant("/api/account"),
      }),
      fc.record({ method: fc.constant("POST"), path: fc.constant("/api/account/password") }),
    ),
    body: fc.option(jsonBody, { nil: undefined }),
    contentType,
    cookie,
    authorization,
  })
  .map(({ target, body, contentType, cookie, authorization }) => {
    const headers: Record<string, string> = {};
    if (contentType) headers["content-type"] = contentType;
    if (cookie) headers.cookie = cookie;
    if (authorization) headers.authorization = authorization;
    return { ...target, body: target.method === "GET" ? undefined : body, headers };
  });

// Ticket creation has no input; its only malformed forms are oversized or cross-site.
const badCreate: fc.Arbitrary<Fuzzed> = fc.oneof(
  fc.string({ minLength: 8200, maxLength: 9000 }).map((body) => ({
    method: "POST",
    path: "/api/qr",
    body,
    headers: { "content-type": "application/json" },
  })),
  fc.webUrl().map((origin) => ({
    method: "POST",
    path: "/api/qr",
    headers: { origin: new URL(origin).origin },
  })),
);

// Request lines fetch() would never send: any method, on any route (next-auth's
// included), with broken percent-encoding in a segment, or an odd target.
const brokenEscape = fc.constantFrom("%", "%E0%A4%A", "%zz", "%C0%AF", "%%", "%F0%9F%98");
const segment = fc.oneof(ticketId, brokenEscape, fc.stringMatching(/^[A-Za-z0-9_-]{22}$/));
const anyMethod = fc.constantFrom(
  "GET",
  "HEAD",
  "POST",
  "PUT",
  "PATCH",
  "DELETE",
  "OPTIONS",
  "TRACE",
  "PROPFIND",
  "CONNECT",
  "FOO",
);
const anyTarget = fc.oneof(
  // (POST /api/qr with no body is a valid create; the first property fuzzes creation.)
  fc.constantFrom(
    "/api/qr/lookup",
    "/api/sessions",
    "/api/mobile/sessions",
    "/api/mobile/sessions/current",
    "/api/accounts",
    "/api/account",
    "/api/account/password",
    "/signup/create",
    "/api/health",
    "/api/health/live",
    "/api/metrics",
    "/api/auth/csrf",
    "/api/auth/session",
    "/api/auth/providers",
    "/api/auth/signin",
    "/api/auth/signout",
    "/api/auth/callback/credentials",
    "/api/auth/callback/qr",
    "/api/auth/_log",
    "/api/auth/error",
    "/api/nope",
    "/login",
    "/m",
  ),
  fc
    .tuple(segment, fc.constantFrom("", "/scan", "/confirm", "/deny", "/report"))
    .map(([s, a]) => `/api/qr/${s}${a}`),
  segment.map((s) => `/api/sessions/${s}`),
  segment.map((s) => `/m/scan/${s}`),
  segment.map((s) => `/api/auth/${s}`),
  fc
    .tuple(fc.constantFrom("/api/auth/signin", "/api/auth/callback/credentials"), weirdText)
    .map(([p, u]) => `${p}?callbackUrl=${encodeURIComponent(u)}`),
  fc.constantFrom("*", "http://[", "http://%zz/x", "http://evil.example/login", "//evil", "x"),
);

// Page POSTs (a server action or a plain form post): malformed bodies and content types.
const pagePath = fc.constantFrom(
  "/",
  "/login",
  "/login?method=password",
  "/m",
  "/m/link",
  "/m/security",
  "/m/sessions",
  "/m/activity",
  "/m/account",
  "/m/signup",
  "/language",
  "/login/password",
  "/signup",
  "/signup/create",
  "/account",
  "/account/ended",
  "/m/scan/AAAAAAAAAAAAAAAAAAAAAAAA",
  "/nope",
);
const pageContentType = fc.constantFrom(
  "multipart/form-data; boundary=x",
  "multipart/form-data",
  "multipart/form-data; boundary=",
  'multipart/form-data; boundary="unterminated',
  "multipart/mixed; boundary=x",
  "text/plain;charset=UTF-8",
  "application/x-www-form-urlencoded",
  "application/json",
  "text/x-component",
  "",
);
const pageBody = fc.oneof(
  fc.constantFrom(
    "a=b",
    '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\nb',
    "--x\r\nContent-Disposition: form-data\r\n\r\nb\r\n--x--\r\n",
    "--x--",
    '"$@1"',
    '["$Q1"]',
    '["$h"]',
    '"$T"',
    '["$1",{"a":"$K"}]',
    '["$F1"]',
    '["$B1"]',
    '["$E(1)"]',
    '["$n!"]',
    "null",
    '"x"',
    "[]",
    "{{{",
  ),
  weirdText,
);
// The real action id makes Next.js decode the body; a made-up one is refused earlier.
const nextAction = fc.option(fc.constantFrom("ACTION", "0".repeat(42), "nope"), {
  nil: undefined,
});

describe("fuzzing every route", () => {
  const stack = useStack({ env: { QRL_RATE_SIGNIN_FAILS_PER_IP_DAY: "100000" } });

  const ticketKeys = async () =>
    (await stack.client.keys("qrl:{*}:ticket")).length +
    (await stack.client.keys("qrl:code:*")).length;

  it("answers 3,000 malformed requests with a 4xx in the error shape, and writes no ticket", async () => {
    const before = await ticketKeys();
    let sent = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.oneof({ weight: 9, arbitrary: anyRequest }, { weight: 1, arbitrary: badCreate }),
        async (r) => {
          sent++;
          const res = await fetch(`${stack.url}${r.path}`, {
            method: r.method,
            headers: r.headers,
            body: r.body,
          });
          const text = await res.text();
          expect(
            res.status,
            `${r.method} ${r.path} → ${res.status} ${text.slice(0, 200)}`,
          ).toBeGreaterThanOrEqual(400);
          expect(
            res.status,
            `${r.method} ${r.path} → ${res.status} ${text.slice(0, 200)}`,
          ).toBeLessThan(500);
          const body = JSON.parse(text);
          expect(typeof body.error.code).toBe("string");
          expect(typeof body.error.message).toBe("string");
        },
      ),
      { numRuns: 3_000 },
    );
    expect(sent).toBe(3_000);
    expect(await ticketKeys()).toBe(before);
  }, 240_000);

  it("answers 600 odd request lines (any method, broken escapes, odd targets) without a 5xx", async () => {
    const before = await ticketKeys();
    await fc.assert(
      fc.asyncProperty(anyMethod, anyTarget, async (method, target) => {
        const res = await rawRequest(
          stack.app.port,
          `${method} ${target} HTTP/1.1\r\nHost: 127.0.0.1:${stack.app.port}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`,
        );
        const what = `${method} ${target} → ${res.status} ${res.body.slice(0, 200)}`;
        expect(res.status, what).toBeGreaterThanOrEqual(200);
        expect(res.status, what).toBeLessThan(500);
        const location = res.headers.location;
        if (location) expect(new URL(location, stack.url).origin, what).toBe(stack.url);
        if (res.status >= 400 && target.startsWith("/api/") && method !== "HEAD") {
          const body = JSON.parse(res.body);
          expect(typeof body.error.code, what).toBe("string");
        }
      }),
      { numRuns: 600 },
    );
    expect(await ticketKeys()).toBe(before);
  }, 240_000);

  it("answers 800 page POSTs with malformed bodies or content types without a 5xx (400 in words for an unreadable form)", async () => {
    const manifest = JSON.parse(
      await readFile(
        join(process.env.NEXT_DIST_DIR || ".next", "server/server-reference-manifest.json"),
        "utf8",
      ),
    ) as { node: Record<string, unknown> };
    const actionId = Object.keys(manifest.node)[0] ?? "none";
    await fc.assert(
      fc.asyncProperty(
        pagePath,
        pageContentType,
        pageBody,
        nextAction,
        async (path, type, body, action) => {
          const headers: Record<string, string> = { origin: stack.url };
          if (type) headers["content-type"] = type;
          if (action) headers["next-action"] = action === "ACTION" ? actionId : action;
          const res = await fetch(`${stack.url}${path}`, {
            method: "POST",
            headers,
            body,
            redirect: "manual",
          });
          const text = await res.text();
          const what = `POST ${path} (${type}, next-action ${action}) ${JSON.stringify(body).slice(0, 80)} → ${res.status} ${text.slice(0, 200)}`;
          expect(res.status, what).toBeLessThan(500);
          if (type.startsWith("multipart/form-data") && res.status === 400 && !action) {
            expect(text, what).toMatch(/form/i);
          }
        },
      ),
      { numRuns: 800 },
    );
  }, 240_000);
});

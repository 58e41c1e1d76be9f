import { describe, expect, it } from "vitest";
import { useStack } from "../support/stack";

const VALID_ID = "AAAAAAAAAAAAAAAAAAAAAAAA";
const HUGE = "x".repeat(9 * 1024);

interface Case {
  name: string;
  path: string;
  method: string;
  headers?: Record<string, string>;
  body?: string;
  status: number;
  code: string;
  /** A well-formed but failed sign-in may count against the rate limit, and write nothing else. */
  countsFailure?: boolean;
}

const json = { "content-type": "application/json" };
const signIn = (
  body: string,
  headers: Record<string, string> = json,
): Omit<Case, "name" | "status" | "code"> => ({
  path: "/api/mobile/sessions",
  method: "POST",
  headers,
  body,
});

/** Malformed requests to every route, each with the 4xx it must get. */
const CASES: Case[] = [
  { name: "create: GET", path: "/api/qr", method: "GET", status: 405, code: "method_not_allowed" },
  {
    name: "scan: GET (GET never changes state)",
    path: `/api/qr/${VALID_ID}/scan`,
    method: "GET",
    status: 405,
    code: "method_not_allowed",
  },
  {
    name: "status: PUT",
    path: `/api/qr/${VALID_ID}`,
    method: "PUT",
    status: 405,
    code: "method_not_allowed",
  },
  {
    name: "health: POST",
    path: "/api/health",
    method: "POST",
    status: 405,
    code: "method_not_allowed",
  },
  {
    name: "status: malformed id",
    path: "/api/qr/not-an-id",
    method: "GET",
    status: 400,
    code: "invalid_request",
  },
  {
    name: "status: id too long",
    path: `/api/qr/${"A".repeat(500)}`,
    method: "GET",
    status: 400,
    code: "invalid_request",
  },
  {
    name: "status: odd Unicode id",
    path: `/api/qr/${encodeURIComponent("ÅÅÅÅÅÅÅÅÅÅÅÅÅÅÅÅÅÅÅÅÅÅÅ😀")}`,
    method: "GET",
    status: 400,
    code: "invalid_request",
  },
  {
    name: "status: since not a number",
    path: `/api/qr/${VALID_ID}?since=abc`,
    method: "GET",
    status: 400,
    code: "invalid_request",
  },
  {
    name: "status: wait over 25 s",
    path: `/api/qr/${VALID_ID}?wait=100`,
    method: "GET",
    status: 400,
    code: "invalid_request",
  },
  {
    name: "status: unknown id, no cookie",
    path: `/api/qr/${VALID_ID}`,
    method: "GET",
    status: 404,
    code: "not_found",
  },
  {
    name: "status: garbage binding cookie",
    path: `/api/qr/${VALID_ID}`,
    method: "GET",
    headers: { cookie: `qrl-${VALID_ID}=%00%ff;;==` },
    status: 404,
    code: "not_found",
  },
  {
    name: "cancel: malformed id",
    path: "/api/qr/..%2f..%2fetc",
    method: "DELETE",
    status: 400,
    code: "invalid_request",
  },
  {
    name: "cancel: no cookie",
    path: `/api/qr/${VALID_ID}`,
    method: "DELETE",
    status: 404,
    code: "not_found",
  },
  {
    name: "create: oversized body",
    path: "/api/qr",
    method: "POST",
    headers: json,
    body: HUGE,
    status: 413,
    code: "payload_too_large",
  },
  {
    name: "create: cross-site",
    path: "/api/qr",
    method: "POST",
    headers: { origin: "https://evil.example" },
    status: 403,
    code: "cross_site",
  },
  {
    name: "scan: malformed id",
    path: "/api/qr/%E2%80%AE/scan",
    method: "POST",
    status: 400,
    code: "invalid_request",
  },
  {
    name: "scan: no credentials",
    path: `/api/qr/${VALID_ID}/scan`,
    method: "POST",
    status: 401,
    code: "unauthorized",
  },
  {
    name: "scan: garbage bearer",
    path: `/api/qr/${VALID_ID}/scan`,
    method: "POST",
    headers: { authorization: "Bearer qrlm_nope" },
    status: 401,
    code: "unauthorized",
  },
  {
    name: "scan: not a bearer scheme",
    path: `/api/qr/${VALID_ID}/scan`,
    method: "POST",
    headers: { authorization: "Basic YWxpY2U6d29uZGVybGFuZA==" },
    status: 401,
    code: "unauthorized",
  },
  {
    name: "scan: cross-site cookie request",
    path: `/api/qr/${VALID_ID}/scan`,
    method: "POST",
    headers: { "sec-fetch-site": "cross-site" },
    status: 403,
    code: "cross_site",
  },
  {
    name: "confirm: no credentials",
    path: `/api/qr/${VALID_ID}/confirm`,
    method: "POST",
    status: 401,
    code: "unauthorized",
  },
  {
    name: "confirm: oversized body",
    path: `/api/qr/${VALID_ID}/confirm`,
    method: "POST",
    headers: json,
    body: HUGE,
    status: 413,
    code: "payload_too_large",
  },
  {
    name: "deny: foreign origin",
    path: `/api/qr/${VALID_ID}/deny`,
    method: "POST",
    headers: { origin: "http://attacker.test" },
    status: 403,
    code: "cross_site",
  },
  {
    name: "sign-in: wrong content type",
    ...signIn("username=alice", { "content-type": "application/x-www-form-urlencoded" }),
    status: 415,
    code: "unsupported_media_type",
  },
  {
    name: "sign-in: no content type",
    ...signIn("{}", {}),
    status: 415,
    code: "unsupported_media_type",
  },
  { name: "sign-in: invalid JSON", ...signIn("{username:"), status: 400, code: "invalid_json" },
  { name: "sign-in: empty body", ...signIn(""), status: 400, code: "invalid_json" },
  { name: "sign-in: array body", ...signIn("[1,2]"), status: 400, code: "invalid_request" },
  { name: "sign-in: null body", ...signIn("null"), status: 400, code: "invalid_request" },
  {
    name: "sign-in: missing password",
    ...signIn('{"username":"alice"}'),
    status: 400,
    code: "invalid_request",
  },
  {
    name: "sign-in: wrong types",
    ...signIn('{"username":42,"password":["x"]}'),
    status: 400,
    code: "invalid_request",
  },
  {
    name: "sign-in: __proto__ keys",
    ...signIn('{"__proto__":{"username":"alice","password":"wonderland"}}'),
    status: 400,
    code: "invalid_request",
  },
  {
    name: "sign-in: huge strings",
    ...signIn(JSON.stringify({ username: "a".repeat(5000), password: "b" })),
    status: 400,
    code: "invalid_request",
  },
  {
    name: "sign-in: oversized body",
    ...signIn(JSON.stringify({ username: HUGE, password: "x" })),
    status: 413,
    code: "payload_too_large",
  },
  {
    name: "sign-in: odd Unicode",
    ...signIn(JSON.stringify({ username: "\u202e\u0000𝔞𝔩𝔦𝔠𝔢", password: "\ud83d" })),
    status: 401,
    code: "invalid_credentials",
    countsFailure: true,
  },
  {
    name: "revoke: no bearer",
    path: "/api/mobile/sessions/current",
    method: "DELETE",
    status: 401,
    code: "unauthorized",
  },
];

describe("bad input gets a 4xx in the error shape and writes nothing", () => {
  const stack = useStack();

  it.each(CASES)("$name → $status $code", async (c) => {
    const { path, method, headers, body, status, code, countsFailure } = c;
    const before = new Set(await stack.client.keys("*"));
    const res = await fetch(`${stack.url}${path}`, { method, headers, body });
    expect(res.status).toBe(status);
    expect(res.headers.get("cache-control")).toContain("no-store");
    const payload = await res.json();
    expect(payload).toEqual({ error: { code, message: expect.any(String) } });
    expect(payload.error.message.length).toBeGreaterThan(10);
    const written = (await stack.client.keys("*")).filter((key) => !before.has(key));
    const allowed = countsFailure ? written.filter((key) => key.startsWith("qrl:rl:signin")) : [];
    expect(written).toEqual(allowed);
  });

  it("refuses a streamed body over 8 KiB even without a Content-Length", async () => {
    const chunks = new ReadableStream({
      start(controller) {
        for (let i = 0; i < 4; i++) controller.enqueue(new TextEncoder().encode("x".repeat(4096)));
        controller.close();
      },
    });
    const res = await fetch(`${stack.url}/api/mobile/sessions`, {
      method: "POST",
      headers: json,
      body: chunks,
      duplex: "half",
    } as RequestInit);
    expect(res.status).toBe(413);
    expect((await res.json()).error.code).toBe("payload_too_large");
  });

  it("gives no session for a malformed claim", async () => {
    const { csrfToken, cookie } = await csrf(stack.url);
    for (const ticketId of ["", "x", "A".repeat(5000), "../../etc", VALID_ID]) {
      const res = await fetch(`${stack.url}/api/auth/callback/qr`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", cookie },
        body: new URLSearchParams({ ticketId, csrfToken, json: "true" }),
        redirect: "manual",
      });
      expect(res.status).toBeLessThan(500);
      expect(res.headers.getSetCookie().join()).not.toContain("session-token");
    }
  });
});

async function csrf(url: string) {
  const res = await fetch(`${url}/api/auth/csrf`);
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  return { csrfToken, cookie };
}

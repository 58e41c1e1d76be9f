import { decode, encode, type JWT } from "next-auth/jwt";
import { describe, expect, it } from "vitest";
import { SHARED_SECRET } from "../support/app-server";
import { HttpClient } from "../support/http-client";
import { signedInDesktop, useStack } from "../support/stack";

const COOKIE = "next-auth.session-token";

/**
 * SECURITY 12: a web session ends SESSION_MAX_AGE_S after sign-in, however
 * often it is used (next-auth renews the cookie on every read, so the max age
 * is enforced from the sign-in time carried in the token).
 *
 * Every session token names a record in the session registry (PROTOCOL v2),
 * so the tokens here are real sessions' tokens, re-signed with an earlier
 * sign-in time: only the age differs from a session that works.
 */
describe("web session max age", () => {
  const stack = useStack({ store: "memory", env: { SESSION_MAX_AGE_S: "3600" } });

  async function tokenOf(client: HttpClient): Promise<JWT> {
    const raw = client.cookies.get(COOKIE);
    expect(raw).toBeDefined();
    const token = await decode({ token: raw, secret: SHARED_SECRET });
    expect(token).toMatchObject({ sub: "demo-alice", sid: expect.any(String) });
    return token as JWT;
  }

  /** A phone browser signed in with a password: a real session with its record. */
  async function phoneBrowser() {
    const browser = new HttpClient(stack.url);
    await browser.nextAuthCallback("credentials", { username: "alice", password: "wonderland" });
    return browser;
  }

  /** A computer signed in by QR (approved by a native app): a real session with its record. */
  async function computer() {
    return (await signedInDesktop(stack.url)).desktop;
  }

  /** The same session's token, signed in `agoS` seconds ago. */
  async function signedInAgo(client: HttpClient, agoS: number): Promise<string> {
    const token = await tokenOf(client);
    return encode({
      secret: SHARED_SECRET,
      token: { ...token, authTime: Math.floor(Date.now() / 1000) - agoS },
    });
  }

  async function sessionWith(cookie: string) {
    const browser = new HttpClient(stack.url);
    browser.cookies.set(COOKIE, cookie);
    return browser.session();
  }

  for (const [name, signIn] of [
    ["phone browser", phoneBrowser],
    ["computer", computer],
  ] as const) {
    it(`keeps a ${name} session signed in within its max age`, async () => {
      const client = await signIn();
      expect((await sessionWith(await signedInAgo(client, 3000))).user?.id).toBe("demo-alice");
    });

    it(`ends a ${name} session past its max age even though its cookie and record are still valid`, async () => {
      const client = await signIn();
      const old = await signedInAgo(client, 3700);
      expect((await sessionWith(old)).user).toBeUndefined();
      // Only the age ended it: the session itself is still signed in.
      expect((await client.session()).user?.id).toBe("demo-alice");
    });
  }

  it("keeps the sign-in time when the cookie is renewed on use", async () => {
    const browser = await phoneBrowser();
    const { authTime } = await tokenOf(browser);
    expect(authTime).toEqual(expect.any(Number));
    for (let i = 0; i < 3; i++) {
      const res = await browser.fetch("/api/auth/session");
      expect(res.headers.getSetCookie().some((c) => c.startsWith(`${COOKIE}=`))).toBe(true);
      expect((await tokenOf(browser)).authTime).toBe(authTime);
    }
  });

  it("does not let an over-age session act as the phone either", async () => {
    const old = await signedInAgo(await phoneBrowser(), 3700);
    const desktop = new HttpClient(stack.url);
    const { ticketId } = await (await desktop.fetch("/api/qr", { method: "POST" })).json();
    const res = await fetch(`${stack.url}/api/qr/${ticketId}/scan`, {
      method: "POST",
      headers: { cookie: `${COOKIE}=${old}` },
    });
    expect(res.status).toBe(401);
    expect((await (await desktop.fetch(`/api/qr/${ticketId}`)).json()).state).toBe("pending");
  });
});

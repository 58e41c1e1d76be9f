import { encode } from "next-auth/jwt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AppServer, SHARED_SECRET, startApp } from "../support/app-server";
import { HttpClient } from "../support/http-client";

/**
 * SECURITY 12: a web session ends SESSION_MAX_AGE_S after sign-in, however
 * often it is used (next-auth renews the cookie on every read, so the max age
 * is enforced from the sign-in time carried in the token).
 */
describe("web session max age", () => {
  let app: AppServer;
  beforeAll(async () => {
    app = await startApp({ QRL_STORE: "memory", SESSION_MAX_AGE_S: "3600" });
  });
  afterAll(async () => app?.stop());

  async function sessionWith(authTimeAgoS: number) {
    const now = Math.floor(Date.now() / 1000);
    const token = await encode({
      secret: SHARED_SECRET,
      token: {
        sub: "demo-alice",
        name: "Alice Liddell",
        via: "password",
        authTime: now - authTimeAgoS,
      },
    });
    const browser = new HttpClient(app.url);
    browser.cookies.set("next-auth.session-token", token);
    return browser.session();
  }

  it("keeps a session signed in within its max age", async () => {
    expect((await sessionWith(3000)).user?.id).toBe("demo-alice");
  });

  it("ends a session past its max age even though its cookie is still valid", async () => {
    expect((await sessionWith(3700)).user).toBeUndefined();
  });

  it("does not let an over-age session act as the phone either", async () => {
    const now = Math.floor(Date.now() / 1000);
    const old = await encode({
      secret: SHARED_SECRET,
      token: { sub: "demo-alice", name: "Alice Liddell", via: "password", authTime: now - 3700 },
    });
    const desktop = new HttpClient(app.url);
    const { ticketId } = await (await desktop.fetch("/api/qr", { method: "POST" })).json();
    const res = await fetch(`${app.url}/api/qr/${ticketId}/scan`, {
      method: "POST",
      headers: { cookie: `next-auth.session-token=${old}` },
    });
    expect(res.status).toBe(401);
  });
});

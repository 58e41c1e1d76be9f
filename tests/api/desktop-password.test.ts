import { describe, expect, it } from "vitest";
import type { SessionInfo } from "@/lib/api/shapes";
import { type AppServer, TEST_USERS } from "../support/app-server";
import { HttpClient, signInNative } from "../support/http-client";
import { rawRequest } from "../support/raw-http";
import { useStack } from "../support/stack";

/**
 * The desktop's password sign-in on /login (issue 14): a plain POST form with
 * the CSRF token the server rendered, next-auth's `computer` provider, the
 * phone's sign-in limits, and a computer session (PROTOCOL v2) that never
 * approves. On both stores.
 */

const USERS = ["kate:kate-pass:Kate", "liam:liam-pass:Liam", "mia:mia-pass:Mia"];
const DESKTOP_UA =
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

/** Opens /login?method=password (and `query`) as a browser would: the form's CSRF token and its cookie. */
async function openForm(app: AppServer, query = "") {
  const browser = new HttpClient(app.url, { "user-agent": DESKTOP_UA });
  const res = await browser.fetch(`/login?method=password${query}`);
  expect(res.status).toBe(200);
  const html = await res.text();
  expect(html).toMatch(/<form[^>]*action="\/login\/password"/);
  expect(html).toMatch(/<form[^>]*method="post"/);
  const csrfToken = /name="csrfToken" value="([0-9a-f]{64})"/.exec(html)?.[1];
  expect(csrfToken, "the server renders the CSRF token into the form").toBeDefined();
  const callbackUrl = /name="callbackUrl" value="([^"]*)"/.exec(html)?.[1] ?? "";
  return { browser, csrfToken: csrfToken ?? "", callbackUrl };
}

/** Submits the form as a browser without JavaScript does (urlencoded POST, redirects not followed). */
function submit(
  browser: HttpClient,
  fields: { username: string; password: string; csrfToken: string; callbackUrl?: string },
) {
  return browser.fetch("/login/password", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ callbackUrl: "/", ...fields }).toString(),
  });
}

const errorCode = async (res: Response) =>
  ((await res.json().catch(() => null)) as { error?: { code?: string } } | null)?.error?.code;

for (const storeName of ["redis", "memory"] as const) {
  describe(`desktop password sign-in (${storeName})`, () => {
    const stack = useStack({
      store: storeName,
      env: { QRL_DEMO_USERS: [TEST_USERS, ...USERS].join(","), QRL_RATE_SIGNIN_FAILS: "3" },
    });

    it("a wrong password comes back to the form saying so; the right one makes a computer session", async () => {
      const { browser, csrfToken } = await openForm(stack.app);
      const wrong = await submit(browser, { username: "kate", password: "nope-nope", csrfToken });
      expect(wrong.status).toBe(303);
      const back = wrong.headers.get("location") ?? "";
      expect(back).toBe("/login?method=password&callbackUrl=%2F&error=wrong");
      expect(browser.hasSessionCookie()).toBe(false);
      const page = await (await browser.fetch(back)).text();
      expect(page).toContain("Wrong username or password. Check them and try again.");

      const right = await submit(browser, {
        username: "kate",
        password: "kate-pass",
        csrfToken,
        callbackUrl: "/after",
      });
      expect(right.status).toBe(303);
      expect(right.headers.get("location")).toBe("/after");
      expect(browser.hasSessionCookie()).toBe(true);
      const session = (await (await browser.fetch("/api/auth/session")).json()) as {
        user?: { name: string; kind: string };
      };
      expect(session.user).toMatchObject({ name: "Kate", kind: "computer" });
      const home = await (await browser.fetch("/")).text();
      expect(home).toContain("Kate");
    });

    it("the computer session cannot approve: 403 not_an_approver; the phone lists it and signs it out", async () => {
      const { browser, csrfToken } = await openForm(stack.app);
      await submit(browser, { username: "liam", password: "liam-pass", csrfToken });
      expect(browser.hasSessionCookie()).toBe(true);
      const desktop = new HttpClient(stack.app.url);
      const created = (await (await desktop.fetch("/api/qr", { method: "POST" })).json()) as {
        ticketId: string;
        userCode: string;
      };
      const sameSite = { origin: stack.app.url, "sec-fetch-site": "same-origin" };
      const attempts: Array<[string, string, unknown?]> = [
        ["POST", `/api/qr/${created.ticketId}/scan`],
        ["POST", "/api/qr/lookup", { userCode: created.userCode }],
        ["GET", "/api/sessions"],
        ["DELETE", "/api/sessions"],
      ];
      for (const [method, path, json] of attempts) {
        const res = await browser.fetch(path, { method, headers: sameSite, json });
        expect({ path, status: res.status, code: await errorCode(res) }).toEqual({
          path,
          status: 403,
          code: "not_an_approver",
        });
      }

      const phone = await signInNative(stack.app.url, "liam", "liam-pass");
      const list = (await (await phone.client.fetch("/api/sessions")).json()) as {
        sessions: SessionInfo[];
      };
      const pc = list.sessions.find((s) => s.kind === "computer");
      expect(pc).toMatchObject({ kind: "computer", method: "password", current: false });
      expect(pc?.approvedBy).toBeUndefined();
      expect(pc?.device.browser).toMatch(/^Chrome/);

      expect(
        (await phone.client.fetch(`/api/sessions/${pc?.id}`, { method: "DELETE" })).status,
      ).toBe(204);
      const after = (await (await browser.fetch("/api/auth/session")).json()) as { user?: unknown };
      expect(after.user).toBeUndefined();
    });

    it("a form without its CSRF token, or with another one, makes no session", async () => {
      const { browser } = await openForm(stack.app);
      for (const csrfToken of ["", "0".repeat(64)]) {
        const res = await submit(browser, { username: "kate", password: "kate-pass", csrfToken });
        expect(res.status).toBe(303);
        expect(res.headers.get("location")).toBe(
          "/login?method=password&callbackUrl=%2F&error=expired",
        );
        expect(browser.hasSessionCookie()).toBe(false);
      }
    });

    // Both stores: the memory limiter's 30-day window is capped at what Node's timer holds.
    it("shares the phone's sign-in limits: failures on the phone lock the desktop form too", async () => {
      const phone = new HttpClient(stack.app.url);
      for (let i = 0; i < 3; i++) {
        await phone.nextAuthCallback("credentials", { username: "mia", password: "wrong-pass" });
      }
      const { browser, csrfToken } = await openForm(stack.app);
      const res = await submit(browser, { username: "mia", password: "mia-pass", csrfToken });
      expect(res.headers.get("location")).toBe(
        "/login?method=password&callbackUrl=%2F&error=limited",
      );
      expect(browser.hasSessionCookie()).toBe(false);
      const page = await (await browser.fetch(res.headers.get("location") ?? "")).text();
      expect(page).toContain("Too many attempts. Wait a while, then try again.");
    });

    it("a non-Latin-1 callbackUrl: 303 to its percent-encoded path with the cookie, and exactly one computer session and notice", async () => {
      // As a browser sends it: `/login?method=password&callbackUrl=/m?q=é€#§`, UTF-8 percent-encoded.
      const query = `&callbackUrl=${encodeURIComponent("/m?q=é€#§")}`;
      const { browser, csrfToken, callbackUrl } = await openForm(stack.app, query);
      expect(callbackUrl).toBe("/m?q=é€#§");
      const phone = await signInNative(stack.app.url, "kate", "kate-pass");
      const computers = async () =>
        (
          (await (await phone.client.fetch("/api/sessions")).json()) as { sessions: SessionInfo[] }
        ).sessions.filter((s) => s.kind === "computer").length;
      const notices = async () =>
        ((await (await phone.client.fetch("/api/notices")).json()) as { notices: unknown[] })
          .notices.length;
      const before = await computers();
      const noticesBefore = await notices();
      const res = await submit(browser, {
        username: "kate",
        password: "kate-pass",
        csrfToken,
        callbackUrl,
      });
      expect(res.status).toBe(303);
      expect(res.headers.get("location")).toBe("/m?q=%C3%A9%E2%82%AC#%C2%A7");
      expect(browser.hasSessionCookie()).toBe(true);
      expect(await computers()).toBe(before + 1);
      expect(await notices()).toBe(noticesBefore + 1);
      expect((await browser.session()).user).toMatchObject({ name: "Kate", kind: "computer" });
    });

    it("a GET is refused in the error shape (405), and a password never rides in a URL", async () => {
      const res = await fetch(`${stack.app.url}/login/password?username=kate&password=kate-pass`);
      expect(res.status).toBe(405);
      expect(await errorCode(res)).toBe("method_not_allowed");
    });

    it("a chunked form past the body cap (no Content-Length to refuse up front) gets 413, on the password and language forms", async () => {
      const big = `username=kate&password=${"x".repeat(20 * 1024)}`;
      for (const path of ["/login/password", "/language"]) {
        const res = await rawRequest(
          stack.app.port,
          `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1:${stack.app.port}\r\nConnection: close\r\n` +
            "Content-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n" +
            `${big.length.toString(16)}\r\n${big}\r\n0\r\n\r\n`,
        );
        expect({ path, status: res.status, code: /"code":"(\w+)"/.exec(res.body)?.[1] }).toEqual({
          path,
          status: 413,
          code: "payload_too_large",
        });
      }
    });
  });
}

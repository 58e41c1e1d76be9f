import { describe, expect, it } from "vitest";
import { HttpClient } from "../support/http-client";
import { useStack } from "../support/stack";

/**
 * Issue 20.4: /login's password form, sent from a phone, signs the phone in as
 * a phone (an approver), not as a computer that /m then turns away. A
 * computer's form still makes a computer session.
 */

const PHONE_UA =
  "Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36";
const DESKTOP_UA =
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

describe("/login's password form on a phone", () => {
  const stack = useStack();

  /** Opens /login's password form with `headers` and submits it as a browser without JavaScript does. */
  async function signInThroughLogin(headers: Record<string, string>) {
    const browser = new HttpClient(stack.url, headers);
    const html = await (await browser.fetch("/login?method=password")).text();
    const csrfToken = /name="csrfToken" value="([0-9a-f]{64})"/.exec(html)?.[1] ?? "";
    const res = await browser.fetch("/login/password", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        username: "alice",
        password: "wonderland",
        csrfToken,
        callbackUrl: "/",
      }).toString(),
    });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/");
    const session = (await (await browser.fetch("/api/auth/session")).json()) as {
      user?: { kind?: string };
    };
    return { browser, kind: session.user?.kind };
  }

  it("makes a phone session that approves, by the user agent or the mobile client hint", async () => {
    const asPhone: Array<Record<string, string>> = [
      { "user-agent": PHONE_UA },
      { "user-agent": DESKTOP_UA, "sec-ch-ua-mobile": "?1" },
    ];
    for (const headers of asPhone) {
      const { browser: phone, kind } = await signInThroughLogin(headers);
      expect(kind, JSON.stringify(headers)).toBe("phone");

      const desktop = new HttpClient(stack.url, { "user-agent": DESKTOP_UA });
      const created = (await (await desktop.fetch("/api/qr", { method: "POST" })).json()) as {
        ticketId: string;
        scanUrl: string;
      };
      const t = new URL(created.scanUrl).searchParams.get("t") ?? "";
      const sameSite = { origin: stack.url, "sec-fetch-site": "same-origin" };
      for (const step of [`scan?t=${t}`, "confirm"]) {
        const res = await phone.fetch(`/api/qr/${created.ticketId}/${step}`, {
          method: "POST",
          headers: sameSite,
        });
        expect(res.status, step).toBe(200);
      }
      // /m is the phone's home, not "Open this on your phone".
      const home = await (await phone.fetch("/m")).text();
      expect(home).not.toContain('id="use-phone-title"');
    }
  });

  it("still makes a computer session for a computer", async () => {
    const { browser, kind } = await signInThroughLogin({ "user-agent": DESKTOP_UA });
    expect(kind).toBe("computer");
    expect(await (await browser.fetch("/m")).text()).toContain('id="use-phone-title"');
  });
});

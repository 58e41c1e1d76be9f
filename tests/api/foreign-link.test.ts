import { beforeAll, describe, expect, it } from "vitest";
import { HttpClient } from "../support/http-client";
import { useStack } from "../support/stack";

/** What the server rendered (every message is also in the page's data, so match the markup). */
const asks = (html: string) => html.includes(">Open this sign-in request</button>");
const scans = (html: string) => html.includes('<p role="status">Checking the login request…</p>');

/**
 * Issue 25.6: a link on another site to `/m/scan/{id}` never scans by itself.
 * The page a signed-in phone gets for a cross-site navigation asks first
 * (the scan is sent only after the tap); the camera app (`none`), the in-app
 * scanner and the typed code (`same-origin`) go straight on to the scan.
 */
describe("a scan page opened from another site", () => {
  const stack = useStack();
  let phone: HttpClient;

  beforeAll(async () => {
    phone = new HttpClient(stack.url);
    const res = await phone.nextAuthCallback("credentials", {
      username: "alice",
      password: "wonderland",
    });
    expect(res.status).toBe(200);
    expect(phone.hasSessionCookie()).toBe(true);
  });

  async function ticket() {
    const desktop = new HttpClient(stack.url);
    const res = await desktop.fetch("/api/qr", { method: "POST" });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { ticketId: string; scanUrl: string };
    const url = new URL(body.scanUrl);
    return { desktop, ticketId: body.ticketId, path: `${url.pathname}${url.search}` };
  }

  const page = async (client: HttpClient, path: string, headers: Record<string, string>) => {
    const res = await client.fetch(path, { headers });
    expect(res.status).toBe(200);
    return res.text();
  };

  it.each([
    ["Sec-Fetch-Site: cross-site", { "sec-fetch-site": "cross-site" }],
    ["Sec-Fetch-Site: same-site", { "sec-fetch-site": "same-site" }],
    ["a Referer from another site (no Sec-Fetch-Site)", { referer: "https://evil.example/win" }],
    [
      "a Referer from another site with Sec-Fetch-Site: none",
      { "sec-fetch-site": "none", referer: "https://evil.example/" },
    ],
    ["an unreadable Referer", { referer: "not a url" }],
  ])("%s: asks before scanning, and the ticket stays pending", async (_, headers) => {
    const t = await ticket();
    const html = await page(phone, t.path, headers);
    expect([asks(html), scans(html)]).toEqual([true, false]);
    const status = await t.desktop.fetch(`/api/qr/${t.ticketId}`);
    expect(((await status.json()) as { state: string }).state).toBe("pending");
  });

  it.each([
    ["the camera app (Sec-Fetch-Site: none)", { "sec-fetch-site": "none" }],
    [
      "the in-app scanner or the typed code (same-origin)",
      { "sec-fetch-site": "same-origin", referer: "APP/m" },
    ],
    ["an old browser with this site's Referer", { referer: "APP/m/link" }],
    ["no fetch metadata at all", {}],
  ])("%s: scans at once", async (_, headers) => {
    const t = await ticket();
    const resolved = Object.fromEntries(
      Object.entries(headers).map(([k, v]) => [k, v.replace("APP", stack.url)]),
    );
    const html = await page(phone, t.path, resolved);
    expect([asks(html), scans(html)]).toEqual([false, true]);
  });

  it("a signed-out phone that came by a foreign link is asked after signing in too", async () => {
    const t = await ticket();
    const signedOut = new HttpClient(stack.url);
    const html = await page(signedOut, t.path, { "sec-fetch-site": "cross-site" });
    const callbackUrl = /name="callbackUrl" value="([^"]*)"/
      .exec(html)?.[1]
      ?.replace(/&amp;/g, "&");
    expect(callbackUrl).toBeDefined();
    const back = new URL(callbackUrl ?? "", stack.url);
    expect(back.pathname).toBe(`/m/scan/${t.ticketId}`);
    expect(back.searchParams.get("ask")).toBe("1");
    // After sign-in the form goes back there, a same-origin navigation: still asked.
    const after = await page(phone, `${back.pathname}${back.search}`, {
      "sec-fetch-site": "same-origin",
    });
    expect(asks(after)).toBe(true);
    // The camera's own path, signed out: the way back is the plain scan page.
    const direct = await page(signedOut, t.path, { "sec-fetch-site": "none" });
    expect(direct).not.toContain("ask=1");
  });
});

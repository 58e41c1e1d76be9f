import { describe, expect, it } from "vitest";
import type { AppServer } from "../support/app-server";
import { HttpClient } from "../support/http-client";
import { useStack } from "../support/stack";

/** SECURITY 14 and 15: headers and cookie attributes, read from real responses of the production build. */
function cookieAttributes(setCookie: string[], namePart: string) {
  const line = setCookie.find((c) => c.split("=")[0]?.includes(namePart));
  expect(line, `a Set-Cookie for ${namePart}`).toBeDefined();
  const [pair = "", ...attributes] = (line ?? "").split(";").map((s) => s.trim());
  return { name: pair.split("=")[0] ?? "", attributes: attributes.map((a) => a.toLowerCase()) };
}

async function loginSetCookies(app: AppServer) {
  const desktop = new HttpClient(app.url);
  const created = await desktop.fetch("/api/qr", { method: "POST" });
  const { ticketId } = await created.json();
  const phone = new HttpClient(app.url);
  const signIn = await phone.nextAuthCallback("credentials", {
    username: "alice",
    password: "wonderland",
  });
  return {
    binding: created.headers.getSetCookie(),
    session: signIn.headers.getSetCookie(),
    ticketId,
  };
}

for (const https of [false, true]) {
  describe(`headers and cookies served as ${https ? "https (PUBLIC_URL https://…)" : "plain http"}`, () => {
    const stack = useStack({
      store: "memory",
      env: https ? { PUBLIC_URL: "https://login.example.test" } : {},
    });

    it("sends a nonce CSP that forbids framing, nosniff and no-referrer on every page", async () => {
      for (const path of ["/login", "/m", "/"]) {
        const res = await fetch(`${stack.url}${path}`);
        const csp = res.headers.get("content-security-policy") ?? "";
        expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]{16,}' 'strict-dynamic'/);
        expect(csp).not.toContain("unsafe-inline' 'strict");
        expect(csp).toContain("frame-ancestors 'none'");
        expect(csp).toContain("object-src 'none'");
        expect(res.headers.get("x-content-type-options")).toBe("nosniff");
        expect(res.headers.get("referrer-policy")).toBe("no-referrer");
        const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
        expect(await res.text()).toContain(`nonce="${nonce}"`);
        expect(res.headers.get("strict-transport-security")).toBe(
          https ? "max-age=63072000; includeSubDomains" : null,
        );
      }
    });

    it("gives each page load its own nonce", async () => {
      const nonce = async () =>
        /'nonce-([^']+)'/.exec(
          (await fetch(`${stack.url}/login`)).headers.get("content-security-policy") ?? "",
        )?.[1];
      expect(await nonce()).not.toBe(await nonce());
    });

    it("marks API answers no-store and nosniff", async () => {
      const res = await fetch(`${stack.url}/api/health`);
      expect(res.headers.get("cache-control")).toBe("no-store");
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    });

    it(`sets HttpOnly, SameSite binding and session cookies${https ? " with Secure and the __Host-/__Secure- prefixes" : ""}`, async () => {
      const { binding, session, ticketId } = await loginSetCookies(stack.app);
      const bind = cookieAttributes(binding, ticketId);
      expect(bind.name).toBe(`${https ? "__Host-" : ""}qrl-${ticketId}`);
      expect(bind.attributes).toEqual(
        expect.arrayContaining(["httponly", "samesite=strict", "path=/"]),
      );
      expect(bind.attributes.includes("secure")).toBe(https);
      expect(bind.attributes.some((a) => a.startsWith("domain="))).toBe(false);

      const web = cookieAttributes(session, "next-auth.session-token");
      expect(web.name).toBe(`${https ? "__Secure-" : ""}next-auth.session-token`);
      expect(web.attributes).toEqual(
        expect.arrayContaining(["httponly", "samesite=lax", "path=/"]),
      );
      expect(web.attributes.includes("secure")).toBe(https);
      // An explicit max age: 8 hours (SESSION_MAX_AGE_S), not next-auth's 30 days.
      const expires = web.attributes.find((a) => a.startsWith("expires="))?.slice(8) ?? "";
      const lifetimeH = (Date.parse(expires) - Date.now()) / 3_600_000;
      expect(lifetimeH).toBeGreaterThan(7.9);
      expect(lifetimeH).toBeLessThanOrEqual(8);
    });
  });
}

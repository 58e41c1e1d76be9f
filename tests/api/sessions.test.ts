import { describe, expect, it } from "vitest";
import type { SessionInfo } from "@/lib/api/shapes";
import { HttpClient, scanPathOf, signInNative } from "../support/http-client";
import { signedInDesktop, useStack } from "../support/stack";

const EDGE =
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0";

/** The session registry (phones and computers) and the security history over HTTP, on both stores. */
for (const storeName of ["redis", "memory"] as const) {
  describe(`session registry (${storeName} store)`, () => {
    const stack = useStack({ store: storeName });

    const nativeApp = async (username: string, password: string) =>
      (await signInNative(stack.app.url, username, password)).client;

    /** A desktop signed in by QR, approved by `phone` (signedInDesktop checks every step). */
    const desktopOf = async (phone: HttpClient, userAgent = EDGE) =>
      (await signedInDesktop(stack.url, { phone, headers: { "user-agent": userAgent } })).desktop;

    async function sessionsOf(phone: HttpClient): Promise<SessionInfo[]> {
      const res = await phone.fetch("/api/sessions");
      expect(res.status).toBe(200);
      expect(res.headers.get("cache-control")).toBe("no-store");
      return ((await res.json()) as { sessions: SessionInfo[] }).sessions;
    }

    /** The computers in a phone's list (the list holds the phones too), newest first. */
    const computersOf = async (phone: HttpClient) =>
      (await sessionsOf(phone)).filter((s) => s.kind === "computer");

    /** The phone browser's /m/activity page, as text. */
    async function activityPage(username: string, password: string) {
      const browser = new HttpClient(stack.app.url);
      await browser.nextAuthCallback("credentials", { username, password });
      const res = await browser.fetch("/m/activity");
      expect(res.status).toBe(200);
      return (await res.text()).replace(/<[^>]+>/g, "").replace(/\s+/g, " ");
    }

    it("lists the computer a QR claim signed in, and signing it out ends its session at once", async () => {
      const phone = await nativeApp("alice", "wonderland");
      const before = await sessionsOf(phone);
      const me = before.find((s) => s.current);
      expect(me).toMatchObject({ kind: "phone", method: "app" });
      const desktop = await desktopOf(phone);
      const sessions = await sessionsOf(phone);
      expect(sessions).toHaveLength(before.length + 1);
      const added = sessions.filter((s) => !before.some((b) => b.id === s.id));
      expect(added).toHaveLength(1);
      const [newest] = added;
      expect(sessions[0]).toEqual(newest);
      expect(newest).toMatchObject({
        kind: "computer",
        method: "qr",
        current: false,
        approvedBy: me?.id,
        device: { browser: "Microsoft Edge 131", os: "Windows", ip: "127.0.0.1" },
      });
      expect(Date.parse(newest?.createdAt ?? "")).not.toBeNaN();
      expect((await desktop.session()).user?.id).toBe("demo-alice");

      const out = await phone.fetch(`/api/sessions/${newest?.id}`, { method: "DELETE" });
      expect(out.status).toBe(204);
      expect(await desktop.session()).toEqual({});
      expect(desktop.hasSessionCookie()).toBe(false);
      expect((await sessionsOf(phone)).map((s) => s.id)).not.toContain(newest?.id);
      expect((await phone.fetch(`/api/sessions/${newest?.id}`, { method: "DELETE" })).status).toBe(
        404,
      );
      const history = await activityPage("alice", "wonderland");
      expect(history).toContain("Signed a computer out");
      expect(history).toContain("Signed in on a computer");
      expect(history).toContain("Microsoft Edge 131 on Windows");
    });

    it("keeps the signed-out cookie from acting as an approver too", async () => {
      const phone = await nativeApp("alice", "wonderland");
      const desktop = await desktopOf(phone);
      const { ticketId } = await (
        await new HttpClient(stack.app.url).fetch("/api/qr", { method: "POST" })
      ).json();
      const cookie = [...desktop.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
      const scanAsDesktop = () =>
        fetch(`${stack.app.url}/api/qr/${ticketId}/scan`, { method: "POST", headers: { cookie } });
      // Signed in, a computer is no approver; signed out, it is nobody.
      const before = await scanAsDesktop();
      expect([before.status, (await before.json()).error.code]).toEqual([403, "not_an_approver"]);
      const [session] = await computersOf(phone);
      expect((await phone.fetch(`/api/sessions/${session?.id}`, { method: "DELETE" })).status).toBe(
        204,
      );
      const scan = await scanAsDesktop();
      expect(scan.status).toBe(401);
    });

    it("does not let another user see or sign out someone's computer", async () => {
      const alice = await nativeApp("alice", "wonderland");
      const bob = await nativeApp("bob", "builder");
      const desktop = await desktopOf(alice);
      const [session] = await computersOf(alice);
      const aliceIds = (await sessionsOf(alice)).map((s) => s.id);
      expect(aliceIds).toContain(session?.id);
      const bobIds = (await sessionsOf(bob)).map((s) => s.id);
      expect(bobIds).not.toContain(session?.id);
      for (const id of bobIds) expect(aliceIds).not.toContain(id);
      // Neither her computer nor her phone can be signed out by him.
      for (const id of aliceIds) {
        expect((await bob.fetch(`/api/sessions/${id}`, { method: "DELETE" })).status).toBe(404);
      }
      expect((await sessionsOf(alice)).map((s) => s.id)).toEqual(aliceIds);
      expect((await desktop.session()).user?.id).toBe("demo-alice");
    });

    it("signs every computer out, and reports one as not mine", async () => {
      const phone = await nativeApp("carol", "carol-pass");
      const desktops = [await desktopOf(phone), await desktopOf(phone)];
      const third = await desktopOf(phone);
      const [newest] = await computersOf(phone);
      const reported = await phone.fetch(`/api/sessions/${newest?.id}/report`, { method: "POST" });
      expect(reported.status).toBe(200);
      expect(await reported.json()).toEqual({ signedOut: 1 });
      expect(await third.session()).toEqual({});
      const all = await phone.fetch("/api/sessions", { method: "DELETE" });
      expect(await all.json()).toEqual({ signedOut: 2 });
      for (const desktop of desktops) expect(await desktop.session()).toEqual({});
      // Only the phone that asked is left.
      expect(await sessionsOf(phone)).toEqual([
        expect.objectContaining({ kind: "phone", method: "app", current: true }),
      ]);
      expect(await activityPage("carol", "carol-pass")).toContain(
        "Reported a signed-in computer as not yours and signed it out",
      );
    });

    it("drops the record when the computer signs itself out", async () => {
      const phone = await nativeApp("bob", "builder");
      const desktop = await desktopOf(phone);
      const [session] = await computersOf(phone);
      const { csrfToken } = await (await desktop.fetch("/api/auth/csrf")).json();
      await desktop.fetch("/api/auth/signout", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ csrfToken, json: "true" }).toString(),
      });
      expect(desktop.hasSessionCookie()).toBe(false);
      expect((await sessionsOf(phone)).map((s) => s.id)).not.toContain(session?.id);
      expect(await activityPage("bob", "builder")).toContain("Signed out on the computer");
    });

    it("records declined and reported sign-in requests in the history", async () => {
      const phone = await nativeApp("bob", "builder");
      for (const answer of ["deny", "report"]) {
        const { ticketId, scanUrl } = await (
          await new HttpClient(stack.app.url, { "user-agent": EDGE }).fetch("/api/qr", {
            method: "POST",
          })
        ).json();
        await phone.fetch(scanPathOf(scanUrl), { method: "POST" });
        const res = await phone.fetch(`/api/qr/${ticketId}/${answer}`, { method: "POST" });
        expect(await res.json()).toEqual({ state: "denied" });
      }
      const history = await activityPage("bob", "builder");
      expect(history).toContain("Declined a sign-in request");
      expect(history).toContain("Reported a sign-in request as not yours");
    });

    it("requires the approver's authentication, same-origin for cookies, and a well-formed id", async () => {
      expect((await fetch(`${stack.app.url}/api/sessions`)).status).toBe(401);
      const browser = new HttpClient(stack.app.url);
      await browser.nextAuthCallback("credentials", { username: "alice", password: "wonderland" });
      expect((await browser.fetch("/api/sessions")).status).toBe(200);
      const crossSite = await browser.fetch("/api/sessions", {
        method: "DELETE",
        headers: { origin: "https://evil.example", "sec-fetch-site": "cross-site" },
      });
      expect(crossSite.status).toBe(403);
      expect((await crossSite.json()).error.code).toBe("cross_site");
      const phone = await nativeApp("alice", "wonderland");
      const malformed = await phone.fetch("/api/sessions/not-a-session", { method: "DELETE" });
      expect([malformed.status, (await malformed.json()).error.code]).toEqual([
        400,
        "invalid_request",
      ]);
    });
  });
}

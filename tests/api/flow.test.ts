import { describe, expect, it } from "vitest";
import type { AppServer } from "../support/app-server";
import { HttpClient, scanPathOf, signInNative } from "../support/http-client";
import { useStack } from "../support/stack";

const DESKTOP_UA =
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

async function createTicket(desktop: HttpClient) {
  const res = await desktop.fetch("/api/qr", { method: "POST" });
  expect(res.status).toBe(201);
  return (await res.json()) as {
    ticketId: string;
    scanUrl: string;
    userCode: string;
    expiresAt: string;
  };
}

const signInApp = async (app: AppServer, username: string, password: string) =>
  (await signInNative(app.url, username, password)).client;

/** The whole login over real HTTP against the production build, on both stores. */
for (const storeName of ["redis", "memory"] as const) {
  describe(`login flow over HTTP (${storeName} store)`, () => {
    const stack = useStack({ store: storeName });

    it("reports the store on /api/health", async () => {
      const res = await fetch(`${stack.app.url}/api/health`);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ status: "ok", store: storeName });
    });

    it("create → native sign-in → scan → confirm → claim gives the desktop the phone user's session", async () => {
      const desktop = new HttpClient(stack.app.url, { "user-agent": DESKTOP_UA });
      const created = await createTicket(desktop);
      // The first QR carries its token too (slot 0).
      expect(created.scanUrl).toMatch(
        new RegExp(`/m/scan/${created.ticketId}\\?t=0\\.[A-Za-z0-9_-]{16}$`),
      );
      const binding = [...desktop.cookies.keys()].find((name) => name.includes(created.ticketId));
      expect(binding).toBeDefined();

      const phone = await signInApp(stack.app, "alice", "wonderland");
      const scan = await phone.fetch(scanPathOf(created.scanUrl), { method: "POST" });
      expect(scan.status).toBe(200);
      const scanned = await scan.json();
      expect(scanned).toMatchObject({
        ticketId: created.ticketId,
        state: "scanned",
        userCode: created.userCode,
        requester: { browser: "Chrome 131", os: "macOS", ip: "127.0.0.1" },
      });
      expect(Date.parse(scanned.requester.createdAt)).not.toBeNaN();

      const status = await (await desktop.fetch(`/api/qr/${created.ticketId}`)).json();
      expect(status).toMatchObject({
        state: "scanned",
        version: 2,
        scanner: { displayName: "Alice Liddell" },
      });

      const confirm = await phone.fetch(`/api/qr/${created.ticketId}/confirm`, { method: "POST" });
      expect(confirm.status).toBe(200);
      expect(await confirm.json()).toEqual({ state: "confirmed" });

      const claim = await desktop.claim(created.ticketId);
      expect(claim.status).toBe(200);
      expect(desktop.hasSessionCookie()).toBe(true);
      // PROTOCOL v2: the session says what it is (a computer, never an approver) and which record it is.
      expect((await desktop.session()).user).toEqual({
        id: "demo-alice",
        name: "Alice Liddell",
        kind: "computer",
        sid: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/),
      });

      const after = await (await desktop.fetch(`/api/qr/${created.ticketId}`)).json();
      expect(after.state).toBe("consumed");
      // Claimed again by the same browser (its answer lost): the same session, never a second one.
      const sidOf = async () =>
        ((await desktop.session()).user as { sid?: string } | undefined)?.sid;
      const sid = await sidOf();
      expect(res200(await desktop.claim(created.ticketId))).toBe(true);
      expect(await sidOf()).toBe(sid);
      // Another browser, without the binding cookie: nothing.
      const other = new HttpClient(stack.app.url, { "user-agent": DESKTOP_UA });
      await other.claim(created.ticketId);
      expect(other.hasSessionCookie()).toBe(false);
    });

    it("signs the phone browser in with the credentials provider and scans with its session cookie", async () => {
      const desktop = new HttpClient(stack.app.url);
      const { ticketId, scanUrl } = await createTicket(desktop);
      const phone = new HttpClient(stack.app.url);
      const signIn = await phone.nextAuthCallback("credentials", {
        username: "bob",
        password: "builder",
      });
      expect(signIn.status).toBe(200);
      expect((await phone.session()).user).toMatchObject({ name: "Bob Martin", kind: "phone" });
      const scan = await phone.fetch(scanPathOf(scanUrl), {
        method: "POST",
        headers: { origin: stack.app.url, "sec-fetch-site": "same-origin" },
      });
      expect(scan.status).toBe(200);
      const deny = await phone.fetch(`/api/qr/${ticketId}/deny`, {
        method: "POST",
        headers: { origin: stack.app.url },
      });
      expect(await deny.json()).toEqual({ state: "denied" });
      expect((await (await desktop.fetch(`/api/qr/${ticketId}`)).json()).state).toBe("denied");
    });

    it("refuses a wrong password on both sign-in paths", async () => {
      const res = await fetch(`${stack.app.url}/api/mobile/sessions`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ username: "alice", password: "nope" }),
      });
      expect(res.status).toBe(401);
      expect((await res.json()).error.code).toBe("invalid_credentials");
      const phone = new HttpClient(stack.app.url);
      const signIn = await phone.nextAuthCallback("credentials", {
        username: "alice",
        password: "nope",
      });
      expect(signIn.status).toBe(401);
      expect(phone.hasSessionCookie()).toBe(false);
    });

    it("gives someone with only the QR's URL no status, no cancel and no session", async () => {
      const desktop = new HttpClient(stack.app.url);
      const { ticketId, scanUrl } = await createTicket(desktop);
      const phone = await signInApp(stack.app, "alice", "wonderland");
      await phone.fetch(scanPathOf(scanUrl), { method: "POST" });
      await phone.fetch(`/api/qr/${ticketId}/confirm`, { method: "POST" });

      const thief = new HttpClient(stack.app.url);
      expect((await thief.fetch(`/api/qr/${ticketId}`)).status).toBe(404);
      expect((await thief.fetch(`/api/qr/${ticketId}`, { method: "DELETE" })).status).toBe(404);
      await thief.claim(ticketId);
      expect(thief.hasSessionCookie()).toBe(false);
      // A forged binding cookie (right name, made-up value) is no better.
      thief.cookies.set(`qrl-${ticketId}`, "forged.value");
      expect((await thief.fetch(`/api/qr/${ticketId}`)).status).toBe(404);
      await thief.claim(ticketId);
      expect(thief.hasSessionCookie()).toBe(false);
      expect((await thief.session()).user).toBeUndefined();

      await desktop.claim(ticketId);
      expect((await desktop.session()).user?.id).toBe("demo-alice");
    });

    it("refuses one ticket's binding cookie for another ticket: 404, not expired", async () => {
      const desktop = new HttpClient(stack.app.url);
      const a = (await createTicket(desktop)).ticketId;
      const b = (await createTicket(desktop)).ticketId;
      const valueA = desktop.cookies.get(`qrl-${a}`);
      expect(valueA).toBeDefined();

      const swapped = new HttpClient(stack.app.url);
      swapped.cookies.set(`qrl-${b}`, valueA ?? "");
      const status = await swapped.fetch(`/api/qr/${b}`);
      expect([status.status, (await status.json()).error?.code]).toEqual([404, "not_found"]);
      expect((await swapped.fetch(`/api/qr/${b}`, { method: "DELETE" })).status).toBe(404);

      // Each cookie still works for its own ticket.
      expect((await (await desktop.fetch(`/api/qr/${a}`)).json()).state).toBe("pending");
      expect((await (await desktop.fetch(`/api/qr/${b}`)).json()).state).toBe("pending");
    });

    it("lets another user neither confirm nor deny, and gives the session to the scanner", async () => {
      const desktop = new HttpClient(stack.app.url);
      const { ticketId, scanUrl } = await createTicket(desktop);
      const alice = await signInApp(stack.app, "alice", "wonderland");
      const bob = await signInApp(stack.app, "bob", "builder");
      // Both phones scanned the same QR.
      await alice.fetch(scanPathOf(scanUrl), { method: "POST" });
      const bobScan = await bob.fetch(scanPathOf(scanUrl), { method: "POST" });
      expect([bobScan.status, (await bobScan.json()).error.code]).toEqual([409, "already_scanned"]);
      for (const answer of ["confirm", "deny"]) {
        const res = await bob.fetch(`/api/qr/${ticketId}/${answer}`, { method: "POST" });
        expect([res.status, (await res.json()).error.code]).toEqual([403, "not_scanner"]);
      }
      await alice.fetch(`/api/qr/${ticketId}/confirm`, { method: "POST" });
      await desktop.claim(ticketId);
      expect((await desktop.session()).user?.id).toBe("demo-alice");
    });

    it("cancels: the desktop reads cancelled and the phone can no longer scan", async () => {
      const desktop = new HttpClient(stack.app.url);
      const { ticketId, scanUrl } = await createTicket(desktop);
      const cancel = await desktop.fetch(`/api/qr/${ticketId}`, { method: "DELETE" });
      expect(cancel.status).toBe(204);
      expect((await (await desktop.fetch(`/api/qr/${ticketId}`)).json()).state).toBe("cancelled");
      const phone = await signInApp(stack.app, "alice", "wonderland");
      const scan = await phone.fetch(scanPathOf(scanUrl), { method: "POST" });
      expect(scan.status).toBe(409);
      const { error } = await scan.json();
      expect(error).toMatchObject({ code: "invalid_state", state: "cancelled" });
      expect(error.message).toMatch(/cancelled on the computer/);
    });

    it("revokes a bearer token", async () => {
      const phone = await signInApp(stack.app, "carol", "carol-pass");
      expect((await phone.fetch("/api/mobile/sessions/current", { method: "DELETE" })).status).toBe(
        204,
      );
      const { ticketId } = await createTicket(new HttpClient(stack.app.url));
      const scan = await phone.fetch(`/api/qr/${ticketId}/scan`, { method: "POST" });
      expect(scan.status).toBe(401);
    });
  });
}

const res200 = (res: Response) => res.status === 200;

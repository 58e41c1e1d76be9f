import { describe, expect, it } from "vitest";
import { HttpClient, signInNative } from "../support/http-client";
import { rawLine } from "../support/raw-http";
import { confirmedTicket, useStack } from "../support/stack";

/**
 * Security round 3 (issue 21, items 3, 6, 8, 11) against the production build
 * and a real redis-server: a confirm of an id that cannot be confirmed writes
 * nothing, and confirms never claimed do not pile up; a malformed page POST is
 * a 400; one browser holds a bounded number of binding cookies; malformed
 * paths never put a ticket id into the log.
 */

/** The scan path of a new ticket: its QR's URL carries the rotation token a scan must present. */
const scanPath = (created: { ticketId: string; scanUrl: string }) =>
  `/api/qr/${created.ticketId}/scan${new URL(created.scanUrl).search}`;

const madeUpId = () =>
  Buffer.from(crypto.getRandomValues(new Uint8Array(18))).toString("base64url");

describe("security round 3 (HTTP)", () => {
  const stack = useStack();

  it("confirms of 500 made-up ticket ids write no key and no session pointer", async () => {
    const { client: phone } = await signInNative(stack.url, "alice", "wonderland");
    const sessionsKey = "qrl:{u:demo-alice}:sessions";
    const keysBefore = await stack.client.dbsize();
    const fieldsBefore = await stack.client.hlen(sessionsKey);
    for (let round = 0; round < 25; round++) {
      const answers = await Promise.all(
        Array.from({ length: 20 }, () =>
          phone.fetch(`/api/qr/${madeUpId()}/confirm`, { method: "POST" }),
        ),
      );
      for (const res of answers) expect(res.status).toBe(404);
    }
    expect(await stack.client.hlen(sessionsKey)).toBe(fieldsBefore);
    expect(await stack.client.dbsize()).toBe(keysBefore);

    // A real ticket still confirms, and its one pointer is the only new field.
    const desktop = new HttpClient(stack.url);
    const created = (await (await desktop.fetch("/api/qr", { method: "POST" })).json()) as {
      ticketId: string;
      scanUrl: string;
    };
    const { ticketId } = created;
    expect((await phone.fetch(`/api/qr/${ticketId}/confirm`, { method: "POST" })).status).toBe(409);
    expect(await stack.client.hlen(sessionsKey)).toBe(fieldsBefore);
    expect((await phone.fetch(scanPath(created), { method: "POST" })).status).toBe(200);
    // Ten confirms at once, then two repeats: every one answers 200, one pointer stands
    // (the ones whose confirm lost the race are removed again).
    const confirms = await Promise.all(
      Array.from({ length: 10 }, () =>
        phone.fetch(`/api/qr/${ticketId}/confirm`, { method: "POST" }),
      ),
    );
    expect(confirms.map((r) => r.status)).toEqual(Array(10).fill(200));
    for (let i = 0; i < 2; i++) {
      expect((await phone.fetch(`/api/qr/${ticketId}/confirm`, { method: "POST" })).status).toBe(
        200,
      );
    }
    expect(await stack.client.hlen(sessionsKey)).toBe(fieldsBefore + 1);
    await desktop.claim(ticketId);
    expect((await desktop.session()).user?.id).toBe("demo-alice");
  });

  it("keeps at most 4 binding cookies per browser over 200 tickets; the newest work, an older one is a clear 404", async () => {
    const browser = new HttpClient(stack.url);
    const created: string[] = [];
    const scans: string[] = [];
    let longest = 0;
    for (let i = 0; i < 200; i++) {
      const res = await browser.fetch("/api/qr", { method: "POST" });
      expect(res.status).toBe(201);
      const body = (await res.json()) as { ticketId: string; scanUrl: string };
      created.push(body.ticketId);
      scans.push(scanPath(body));
      const header = [...browser.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
      longest = Math.max(longest, header.length);
    }
    const binding = [...browser.cookies.keys()].filter((n) => /^qrl-[\w-]{24}$/.test(n));
    expect(binding.length).toBeLessThanOrEqual(4);
    expect(longest).toBeLessThan(1_000);
    // The newest tickets (open tabs) still read their status and still sign in.
    for (const id of created.slice(-4)) {
      expect((await browser.fetch(`/api/qr/${id}`)).status).toBe(200);
    }
    const { client: phone } = await signInNative(stack.url, "bob", "builder");
    const newest = created.at(-1) ?? "";
    await phone.fetch(scans.at(-1) ?? "", { method: "POST" });
    await phone.fetch(`/api/qr/${newest}/confirm`, { method: "POST" });
    await browser.claim(newest);
    expect((await browser.session()).user?.id).toBe("demo-bob");
    // A tab whose cookie was dropped gets the API's "no such code, refresh" answer.
    const old = await browser.fetch(`/api/qr/${created[0]}`);
    expect(old.status).toBe(404);
    expect(((await old.json()) as { error: { code: string } }).error.code).toBe("not_found");
  });

  it("answers a malformed multipart POST to any page with a 400 in words, never a 500", async () => {
    for (const path of ["/", "/login", "/m", "/m/link", "/m/security", "/m/sessions", "/nope"]) {
      const res = await fetch(`${stack.url}${path}`, {
        method: "POST",
        headers: { "content-type": "multipart/form-data; boundary=x" },
        body: "a=b",
        redirect: "manual",
      });
      const text = await res.text();
      expect({ path, status: res.status }).toEqual({ path, status: 400 });
      expect(text).toMatch(/form/i);
    }
    const api = await fetch(`${stack.url}/api/qr/lookup`, {
      method: "POST",
      headers: { "content-type": "multipart/form-data; boundary=x" },
      body: "a=b",
    });
    expect(api.status).toBe(415);
    expect(((await api.json()) as { error: { code: string } }).error.code).toBe(
      "unsupported_media_type",
    );
  });

  it("never logs a raw ticket id from a malformed or unknown path", async () => {
    const id = madeUpId();
    const targets = [
      `/api/qr/${id}x`,
      `/api/qr/x${id}/confirm`,
      `/api/qr/${id}%zz`,
      `/api/qr/${id}.json/scan`,
      `/m/scan/${id}-`,
      `/${id}${id}`,
      `/api/nope/${id}`,
      `/login/${id}`,
    ];
    const logged = () =>
      stack.app
        .output()
        .split("\n")
        .filter((l) => l.includes('"route":')).length;
    const before = logged();
    for (const target of targets) {
      const res = await rawLine(stack.app.port, "GET", target);
      expect(res.status, target).toBeLessThan(500);
    }
    // Each request's log line is written once its response closed: wait for all of them.
    const deadline = Date.now() + 5_000;
    while (logged() < before + targets.length && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(logged()).toBeGreaterThanOrEqual(before + targets.length);
    expect(stack.app.output()).not.toContain(id);
    expect(stack.app.output()).not.toContain(id.slice(0, 16));
  });
});

describe("security round 3 (HTTP): confirms never claimed do not pile up", () => {
  // Confirmed tickets run out after 3 s and are gone 1 s later: expiry without long waits.
  const stack = useStack({ env: { QRL_CONFIRMED_TTL_S: "3", QRL_TOMBSTONE_S: "1" } });

  it("keeps only live sessions and confirms in flight in the user's hash, however many confirmed tickets were never claimed", async () => {
    const { client: phone } = await signInNative(stack.url, "carol", "carol-pass");
    const sessionsKey = "qrl:{u:demo-carol}:sessions";
    const fieldsBefore = await stack.client.hlen(sessionsKey);
    // confirmedTicket checks the scan's and the confirm's 200.
    const confirmOne = async () => {
      const { desktop, ticket } = await confirmedTicket(stack.url, { phone });
      return { desktop, ticketId: ticket.ticketId };
    };
    const abandoned: string[] = [];
    for (let i = 0; i < 30; i++) abandoned.push((await confirmOne()).ticketId);
    // The condition itself: every abandoned ticket's key has run out in Redis.
    const left = async () =>
      (await Promise.all(abandoned.map((id) => stack.client.exists(`qrl:{${id}}:ticket`)))).reduce(
        (a, b) => a + b,
        0,
      );
    await expect.poll(left, { timeout: 30_000 }).toBe(0);

    // The dead pointers go at the user's next pruning, which comes within as many confirms as
    // the hash kept at the last one (at least 16: lib/sessions/records.ts; not at every
    // confirm, which made N confirms in flight cost N reads each). Then only the new
    // confirms' own pointers are left beside what was there before.
    const fresh: Array<{ desktop: HttpClient; ticketId: string }> = [];
    let fields = await stack.client.hlen(sessionsKey);
    // Dead pointers are there to drop (a pruning during the 30 may have taken the first ones).
    expect(fields).toBeGreaterThan(fieldsBefore);
    do {
      fresh.push(await confirmOne());
      fields = await stack.client.hlen(sessionsKey);
    } while (fields !== fieldsBefore + fresh.length && fresh.length < 40);
    expect(fields).toBe(fieldsBefore + fresh.length);
    expect(fresh.length).toBeLessThanOrEqual(31);
    const { desktop, ticketId } = fresh.at(-1) as { desktop: HttpClient; ticketId: string };
    await desktop.claim(ticketId);
    expect((await desktop.session()).user?.id).toBe("demo-carol");
    const listed = (await (await phone.fetch("/api/sessions")).json()) as {
      sessions: Array<{ kind: string }>;
    };
    expect(listed.sessions.filter((s) => s.kind === "computer")).toHaveLength(1);
  });
});

import { describe, expect, it } from "vitest";
import type { AppServer } from "../support/app-server";
import { HttpClient, scanPathOf, signInNative } from "../support/http-client";
import { useStack } from "../support/stack";

const METRICS_TOKEN = "metrics-token-for-tests-0123456789";
const DESKTOP_UA =
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

/** How many long-polls `app` holds right now (desktop's and phone's alike). */
async function waiting(app: AppServer): Promise<number> {
  const res = await fetch(`${app.url}/api/metrics`, {
    headers: { authorization: `Bearer ${METRICS_TOKEN}` },
  });
  const line = (await res.text()).split("\n").find((l) => l.startsWith("qrl_longpolls_waiting "));
  return Number(line?.split(" ")[1] ?? Number.NaN);
}

/**
 * `GET /api/qr/{id}/approval`: the phone that scanned a ticket follows it
 * (PROTOCOL's error shape, only for the scanner, long-poll woken by the same
 * events as the desktop's), on both stores. The confirmed state lives 2 s
 * here, so "approved but the computer never claimed" reads as expired.
 */
for (const storeName of ["redis", "memory"] as const) {
  describe(`the phone follows its ticket (${storeName} store)`, () => {
    const stack = useStack({ store: storeName, env: { METRICS_TOKEN, QRL_CONFIRMED_TTL_S: "2" } });

    async function scanned() {
      const desktop = new HttpClient(stack.app.url, { "user-agent": DESKTOP_UA });
      const created = (await (await desktop.fetch("/api/qr", { method: "POST" })).json()) as {
        ticketId: string;
        scanUrl: string;
      };
      const { client: phone } = await signInNative(stack.app.url, "alice", "wonderland");
      const scan = await phone.fetch(scanPathOf(created.scanUrl), { method: "POST" });
      expect(scan.status).toBe(200);
      return { desktop, phone, id: created.ticketId };
    }

    const read = async (phone: HttpClient, path: string) => {
      const res = await phone.fetch(path);
      return { status: res.status, body: await res.json() };
    };

    it("answers the scanner with the state, whether it approved, and which computer asks", async () => {
      const { phone, id } = await scanned();
      const { status, body } = await read(phone, `/api/qr/${id}/approval`);
      expect(status).toBe(200);
      expect(body).toMatchObject({
        state: "scanned",
        version: 2,
        approved: false,
        computer: { browser: "Chrome 131", os: "Linux", ip: "127.0.0.1" },
      });
    });

    it("refuses everyone but the scanner, in the error shape", async () => {
      const { id } = await scanned();
      const { client: bob } = await signInNative(stack.app.url, "bob", "builder");
      expect(await read(bob, `/api/qr/${id}/approval`)).toMatchObject({
        status: 403,
        body: { error: { code: "not_scanner" } },
      });
      const anonymous = new HttpClient(stack.app.url);
      expect(await read(anonymous, `/api/qr/${id}/approval`)).toMatchObject({
        status: 401,
        body: { error: { code: "unauthorized" } },
      });
      // A ticket nobody scanned yet is not the phone's either.
      const desktop = new HttpClient(stack.app.url);
      const fresh = (await (await desktop.fetch("/api/qr", { method: "POST" })).json()) as {
        ticketId: string;
      };
      expect((await read(bob, `/api/qr/${fresh.ticketId}/approval`)).status).toBe(403);
    });

    it("answers malformed and unknown input with a 4xx in the error shape", async () => {
      const { phone, id } = await scanned();
      for (const [path, status, code] of [
        ["/api/qr/not-a-ticket/approval", 400, "invalid_request"],
        [`/api/qr/${"A".repeat(24)}/approval`, 404, "not_found"],
        [`/api/qr/${id}/approval?since=x`, 400, "invalid_request"],
        [`/api/qr/${id}/approval?since=1&wait=99`, 400, "invalid_request"],
      ] as const) {
        expect(await read(phone, path), path).toMatchObject({ status, body: { error: { code } } });
      }
      const post = await phone.fetch(`/api/qr/${id}/approval`, { method: "POST" });
      expect(post.status).toBe(405);
    });

    it("a waiting read answers when the desktop cancels", async () => {
      const { desktop, phone, id } = await scanned();
      const before = await waiting(stack.app);
      const pending = read(phone, `/api/qr/${id}/approval?since=2&wait=20`);
      await expect
        .poll(() => waiting(stack.app), { timeout: 10_000, interval: 20 })
        .toBeGreaterThan(before);
      expect((await desktop.fetch(`/api/qr/${id}`, { method: "DELETE" })).status).toBe(204);
      expect(await pending).toMatchObject({
        status: 200,
        body: { state: "cancelled", version: 3 },
      });
    });

    it("after Approve: confirmed, then consumed once the computer claims", async () => {
      const { desktop, phone, id } = await scanned();
      expect((await phone.fetch(`/api/qr/${id}/confirm`, { method: "POST" })).status).toBe(200);
      const confirmed = await read(phone, `/api/qr/${id}/approval`);
      expect(confirmed.body).toMatchObject({ state: "confirmed", approved: true });
      const before = await waiting(stack.app);
      const next = read(phone, `/api/qr/${id}/approval?since=${confirmed.body.version}&wait=20`);
      await expect
        .poll(() => waiting(stack.app), { timeout: 10_000, interval: 20 })
        .toBeGreaterThan(before);
      expect((await desktop.claim(id)).status).toBe(200);
      expect(await next).toMatchObject({
        status: 200,
        body: { state: "consumed", approved: true },
      });
    });

    it("after Approve with no claim: expired, and still marked approved", async () => {
      const { phone, id } = await scanned();
      expect((await phone.fetch(`/api/qr/${id}/confirm`, { method: "POST" })).status).toBe(200);
      const confirmed = await read(phone, `/api/qr/${id}/approval`);
      // The wait ends at the confirmed state's deadline (2 s here), not at the 20 s asked for.
      const ended = await read(
        phone,
        `/api/qr/${id}/approval?since=${confirmed.body.version}&wait=20`,
      );
      expect(ended).toMatchObject({ status: 200, body: { state: "expired", approved: true } });
    });

    it("after Deny: denied, not approved", async () => {
      const { phone, id } = await scanned();
      expect((await phone.fetch(`/api/qr/${id}/deny`, { method: "POST" })).status).toBe(200);
      expect(await read(phone, `/api/qr/${id}/approval`)).toMatchObject({
        status: 200,
        body: { state: "denied", approved: false },
      });
    });
  });
}

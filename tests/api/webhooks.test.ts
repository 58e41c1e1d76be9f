import { randomBytes } from "node:crypto";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { webhookPayload } from "@/lib/webhooks/events";
import { type AppServer, startApp } from "../support/app-server";
import { HttpClient, scanPathOf, signInNative } from "../support/http-client";
import { type RedisServer, startRedis } from "../support/redis-server";
import { type Received, startReceiver } from "../support/webhook-receiver";

const SECRET = `whsec_${randomBytes(32).toString("base64")}`;
const MAC_SAFARI =
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15";

const typeOf = (r: Received) => (JSON.parse(r.body) as { type: string }).type;

/** The payload, after checking its Standard Webhooks signature with the shared secret. */
function verified(r: Received) {
  const payload = new Webhook(SECRET).verify(r.body, r.headers as Record<string, string>);
  return webhookPayload.parse(payload);
}

/**
 * Signed webhooks (Standard Webhooks) to a local receiver, on both stores
 * (Redis: BullMQ; memory: in-process retries): every event verifies with the
 * secret, and a failing receiver neither fails the login nor loses the event.
 */
for (const storeName of ["redis", "memory"] as const) {
  describe(`webhooks (${storeName} store)`, () => {
    let redis: RedisServer | undefined;
    let app: AppServer;
    /** The receiver fails every delivery of a message until it has refused it twice. */
    const refusals = new Map<string, number>();
    let failFirstTwo = false;
    let receiver: Awaited<ReturnType<typeof startReceiver>>;

    beforeAll(async () => {
      redis = storeName === "redis" ? await startRedis() : undefined;
      receiver = await startReceiver(({ headers }) => {
        if (!failFirstTwo) return false;
        const id = String(headers["webhook-id"]);
        const n = refusals.get(id) ?? 0;
        refusals.set(id, n + 1);
        return n < 2;
      });
      app = await startApp({
        WEBHOOK_URL: receiver.url,
        WEBHOOK_SECRET: SECRET,
        WEBHOOK_RETRY_BASE_MS: "100",
        ...(redis ? { REDIS_URL: redis.url } : { QRL_STORE: "memory" }),
      });
    });
    afterAll(async () => {
      await app?.stop();
      await receiver?.close();
      await redis?.stop();
    });

    async function login(phone: HttpClient) {
      const desktop = new HttpClient(app.url, { "user-agent": MAC_SAFARI });
      const { ticketId, scanUrl } = await (
        await desktop.fetch("/api/qr", { method: "POST" })
      ).json();
      await phone.fetch(scanPathOf(scanUrl), { method: "POST" });
      expect((await phone.fetch(`/api/qr/${ticketId}/confirm`, { method: "POST" })).status).toBe(
        200,
      );
      await desktop.claim(ticketId);
      expect(desktop.hasSessionCookie()).toBe(true);
      return desktop;
    }

    it("sends login.approved and login.completed, signed with the secret, for a QR login", async () => {
      const phone = (await signInNative(app.url, "alice", "wonderland")).client;
      const desktop = await login(phone);
      const completed = verified(await receiver.waitFor((r) => typeOf(r) === "login.completed"));
      const session = (await desktop.session()).user;
      expect(session?.name).toBe("Alice Liddell");
      expect(completed).toMatchObject({
        type: "login.completed",
        data: {
          userId: "demo-alice",
          device: { browser: "Safari 18", os: "macOS", ip: "127.0.0.1" },
        },
      });
      const approved = verified(await receiver.waitFor((r) => typeOf(r) === "login.approved"));
      expect(approved.data).toMatchObject({
        requestId: (completed.data as { requestId: string }).requestId,
      });
      // A tampered body or another secret does not verify.
      const sample = receiver.received.find((r) => typeOf(r) === "login.completed") as Received;
      expect(() =>
        new Webhook(SECRET).verify(
          sample.body.replace("demo-alice", "demo-bob"),
          sample.headers as Record<string, string>,
        ),
      ).toThrow();
      expect(() =>
        new Webhook(`whsec_${randomBytes(32).toString("base64")}`).verify(
          sample.body,
          sample.headers as Record<string, string>,
        ),
      ).toThrow();
    });

    it("sends login.denied, login.reported and session.signed_out", async () => {
      const phone = (await signInNative(app.url, "bob", "builder")).client;
      for (const answer of ["deny", "report"]) {
        const desktop = new HttpClient(app.url);
        const { ticketId, scanUrl } = await (
          await desktop.fetch("/api/qr", { method: "POST" })
        ).json();
        await phone.fetch(scanPathOf(scanUrl), { method: "POST" });
        expect(
          (await phone.fetch(`/api/qr/${ticketId}/${answer}`, { method: "POST" })).status,
        ).toBe(200);
      }
      const bobs = (type: string) => (r: Received) =>
        typeOf(r) === type && r.body.includes('"demo-bob"');
      verified(await receiver.waitFor(bobs("login.denied")));
      verified(await receiver.waitFor(bobs("login.reported")));
      await login(phone);
      const [computer] = (
        (await (await phone.fetch("/api/sessions")).json()) as {
          sessions: { id: string; kind: string }[];
        }
      ).sessions.filter((s) => s.kind === "computer");
      expect(
        (await phone.fetch(`/api/sessions/${computer?.id}`, { method: "DELETE" })).status,
      ).toBe(204);
      const out = verified(
        await receiver.waitFor(
          (r) => bobs("session.signed_out")(r) && r.body.includes(computer?.id ?? "-"),
        ),
      );
      expect(out.data).toMatchObject({ sessionId: computer?.id, kind: "computer", by: "phone" });
    });

    it("sends one login.approved per ticket however often the phone retries its confirm, with an id derived from the ticket", async () => {
      const phone = (await signInNative(app.url, "alice", "wonderland")).client;
      const desktop = new HttpClient(app.url);
      const created = await (await desktop.fetch("/api/qr", { method: "POST" })).json();
      const { ticketId, scanUrl } = created as { ticketId: string; scanUrl: string };
      const scan = `/api/qr/${ticketId}/scan${new URL(scanUrl).search}`;
      expect((await phone.fetch(scan, { method: "POST" })).status).toBe(200);
      // A lost answer retried, then three retries at once: every one says confirmed.
      for (let i = 0; i < 2; i++) {
        const res = await phone.fetch(`/api/qr/${ticketId}/confirm`, { method: "POST" });
        expect(res.status).toBe(200);
      }
      const burst = await Promise.all(
        [1, 2, 3].map(() => phone.fetch(`/api/qr/${ticketId}/confirm`, { method: "POST" })),
      );
      expect(burst.map((r) => r.status)).toEqual([200, 200, 200]);
      await desktop.claim(ticketId);
      expect(desktop.hasSessionCookie()).toBe(true);
      // This login's computer: alice's newest session record.
      const sessions = (
        (await (await phone.fetch("/api/sessions")).json()) as {
          sessions: { id: string; kind: string; createdAt: string }[];
        }
      ).sessions.filter((x) => x.kind === "computer");
      const computer = sessions.sort((x, y) => y.createdAt.localeCompare(x.createdAt))[0];
      const completed = verified(
        await receiver.waitFor(
          (r) => typeOf(r) === "login.completed" && r.body.includes(computer?.id ?? "-"),
        ),
      );
      const requestId = (completed.data as { requestId: string }).requestId;
      // Events queued later are delivered after the approvals: wait for the sign-out's.
      expect(
        (await phone.fetch(`/api/sessions/${computer?.id}`, { method: "DELETE" })).status,
      ).toBe(204);
      await receiver.waitFor(
        (r) => typeOf(r) === "session.signed_out" && r.body.includes(computer?.id ?? "-"),
      );
      const approvals = receiver.received.filter(
        (r) => typeOf(r) === "login.approved" && r.body.includes(requestId),
      );
      expect(approvals).toHaveLength(1);
      const [only] = approvals;
      // Not random: the same approval from any instance or retry carries the same id.
      expect(only?.headers["webhook-id"]).toMatch(/^msg_[0-9a-f]{32}$/);
      expect(only?.headers["webhook-id"]).not.toContain(ticketId);
    });

    it("a failing receiver does not fail the login, and gets the event again until it takes it", async () => {
      failFirstTwo = true;
      const phone = (await signInNative(app.url, "carol", "carol-pass")).client;
      const desktop = await login(phone);
      expect((await desktop.session()).user?.name).toBe("Carol");
      const carols = (r: Received) =>
        typeOf(r) === "login.completed" && r.body.includes('"demo-carol"');
      const taken = await receiver.waitFor((r) => carols(r) && r.status === 204);
      const attempts = receiver.received.filter(carols);
      expect(attempts.map((r) => r.status)).toEqual([503, 503, 204]);
      // One message, retried: the same id each time (receivers de-duplicate on it), each signed.
      expect(new Set(attempts.map((r) => r.headers["webhook-id"])).size).toBe(1);
      for (const r of attempts) verified(r);
      expect(verified(taken).data).toMatchObject({ userId: "demo-carol" });
      expect(app.output()).toContain("webhook delivery failed");
      failFirstTwo = false;
    });
  });
}

import { randomBytes } from "node:crypto";
import { count, eq } from "drizzle-orm";
import { Webhook } from "standardwebhooks";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type Database, openDatabase } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";
import { webhookOutbox } from "@/lib/db/schema";
import type { DatabaseSettings } from "@/lib/env";
import { DatabaseWebhookQueue } from "@/lib/webhooks/outbox";
import { startReceiver } from "../support/webhook-receiver";

const SECRET = `whsec_${randomBytes(32).toString("base64")}`;

/** A fresh, empty database for one suite; the same settings open it again. */
export interface Backend {
  settings(): Promise<DatabaseSettings>;
  cleanup(): Promise<void>;
}

const message = (type = "login.approved") => {
  const id = `msg_${randomBytes(16).toString("hex")}`;
  return {
    id,
    body: JSON.stringify({ type, timestamp: new Date().toISOString(), data: { id } }),
  };
};

/**
 * The embedded mode's webhook queue (lib/webhooks/outbox.ts), the same on
 * PGlite and on PostgreSQL: one delivery per message id, retries with
 * exponential backoff up to the last attempt, rows gone once delivered.
 */
export function webhookOutboxContract(name: string, backend: Backend) {
  describe(`webhook outbox (${name})`, () => {
    let database: Database;
    let receiver: Awaited<ReturnType<typeof startReceiver>>;
    /** When each request reached the receiver, by webhook id. */
    const arrivals = new Map<string, number[]>();
    /** How many requests of a message id the receiver refuses before taking one. */
    const refuse = new Map<string, number>();
    const queues: DatabaseWebhookQueue[] = [];

    const queueOf = (policy = { attempts: 5, baseDelayMs: 100 }) => {
      const queue = new DatabaseWebhookQueue(
        async () => database,
        { url: receiver.url, secret: SECRET },
        policy,
      );
      queues.push(queue);
      return queue;
    };
    const rows = async (id?: string) =>
      (
        await database.db
          .select({ n: count() })
          .from(webhookOutbox)
          .where(id ? eq(webhookOutbox.id, id) : undefined)
      )[0]?.n ?? 0;
    /** Waits until the message's row is gone (delivered or given up), reading the table. */
    const gone = async (id: string) => {
      const deadline = Date.now() + 20_000;
      while ((await rows(id)) > 0) {
        if (Date.now() > deadline) throw new Error(`row ${id} still queued`);
        await new Promise((r) => setImmediate(r));
      }
    };
    const requestsOf = (id: string) =>
      receiver.received.filter((r) => r.headers["webhook-id"] === id);

    beforeAll(async () => {
      const settings = await backend.settings();
      database = await openDatabase(settings);
      await migrate(database, settings);
      receiver = await startReceiver(({ headers }) => {
        const id = String(headers["webhook-id"]);
        arrivals.set(id, [...(arrivals.get(id) ?? []), performance.now()]);
        const left = refuse.get(id) ?? 0;
        refuse.set(id, left - 1);
        return left > 0;
      });
    });
    // Each test's workers stop with it: one process's queue at a time, as in the embedded mode.
    afterEach(async () => {
      await Promise.all(queues.splice(0).map((q) => q.close()));
    });
    afterAll(async () => {
      await receiver?.close();
      await database?.close();
      await backend.cleanup();
    });

    it("delivers a message signed, at once, and removes its row", async () => {
      const queue = queueOf({ attempts: 5, baseDelayMs: 60_000 });
      const m = message();
      await queue.enqueue(m);
      const got = await receiver.waitFor((r) => r.headers["webhook-id"] === m.id, 5_000);
      // At once: no poll interval, and no retry (its delay is a minute) could have brought it.
      expect(got.status).toBe(204);
      const payload = new Webhook(SECRET).verify(got.body, got.headers as Record<string, string>);
      expect(payload).toEqual(JSON.parse(m.body));
      await gone(m.id);
      expect(requestsOf(m.id)).toHaveLength(1);
    });

    it("queuing one message id twice, at once or after delivery, delivers it once", async () => {
      const queue = queueOf();
      const m = message();
      await Promise.all([queue.enqueue(m), queue.enqueue(m), queue.enqueue(m)]);
      await gone(m.id);
      // Queued again once delivered (a retried transition): nothing more is sent.
      await queue.enqueue(m);
      expect(await rows(m.id)).toBe(0);
      const later = message();
      await queue.enqueue(later);
      await gone(later.id);
      expect(requestsOf(m.id)).toHaveLength(1);
    });

    it("retries a refused message with exponential backoff, the same id and body each time", async () => {
      const queue = queueOf({ attempts: 5, baseDelayMs: 150 });
      const m = message();
      refuse.set(m.id, 2);
      await queue.enqueue(m);
      const taken = await receiver.waitFor(
        (r) => r.headers["webhook-id"] === m.id && r.status === 204,
      );
      const attempts = requestsOf(m.id);
      expect(attempts.map((r) => r.status)).toEqual([503, 503, 204]);
      expect(new Set(attempts.map((r) => r.body)).size).toBe(1);
      expect(JSON.parse(taken.body)).toEqual(JSON.parse(m.body));
      // The first retry waits the base delay, the second twice as long.
      const [a = 0, b = 0, c = 0] = arrivals.get(m.id) ?? [];
      expect(b - a).toBeGreaterThanOrEqual(150 - 5);
      expect(c - b).toBeGreaterThanOrEqual(300 - 5);
      await gone(m.id);
    });

    it("gives a message up after its last attempt, and removes its row", async () => {
      const queue = queueOf({ attempts: 3, baseDelayMs: 20 });
      const m = message();
      refuse.set(m.id, 1_000);
      await queue.enqueue(m);
      await gone(m.id);
      expect(requestsOf(m.id).map((r) => r.status)).toEqual([503, 503, 503]);
    });

    it("a message left in the table by a process that stopped is delivered by the next one", async () => {
      const first = queueOf({ attempts: 5, baseDelayMs: 500 });
      const m = message();
      refuse.set(m.id, 1);
      await first.enqueue(m);
      // The first attempt fails, and the process stops before its retry.
      await receiver.waitFor((r) => r.headers["webhook-id"] === m.id);
      await first.close();
      expect(await rows(m.id)).toBe(1);
      // The next process's worker finds the row and delivers it when due, with its id.
      queueOf({ attempts: 5, baseDelayMs: 500 });
      await receiver.waitFor((r) => r.headers["webhook-id"] === m.id && r.status === 204);
      await gone(m.id);
      expect(requestsOf(m.id).map((r) => r.status)).toEqual([503, 204]);
    });

    it("two workers on one database deliver each of 20 messages once", async () => {
      const [a, b] = [queueOf(), queueOf()];
      const messages = Array.from({ length: 20 }, () => message());
      // Each message queued through both (two instances emitting the same event).
      await Promise.all(messages.flatMap((m) => [a.enqueue(m), b.enqueue(m)]));
      for (const m of messages) await gone(m.id);
      for (const m of messages) expect(requestsOf(m.id)).toHaveLength(1);
      expect(await rows()).toBe(0);
    });
  });
}

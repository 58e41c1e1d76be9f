import { randomBytes } from "node:crypto";
import { count } from "drizzle-orm";
import { Webhook } from "standardwebhooks";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase } from "@/lib/db/client";
import { webhookOutbox } from "@/lib/db/schema";
import { webhookId } from "@/lib/webhooks";
import { webhookPayload } from "@/lib/webhooks/events";
import { newDataDir, type OwnAppServer, startApp } from "../support/app-server";
import { HttpClient, scanPathOf, signInNative } from "../support/http-client";
import { startReceiver } from "../support/webhook-receiver";

const SECRET = `whsec_${randomBytes(32).toString("base64")}`;

/** Waits until `test` holds, looking every 20 ms, or fails after `timeoutMs`. */
async function until(test: () => boolean, what: string, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (!test()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * The embedded mode's webhook queue (no Redis: the `webhook_outbox` table of
 * the embedded database) survives a crash: an event whose delivery failed is
 * delivered, once and with its original id, by the next process on the same
 * data folder.
 */
describe("webhooks on the embedded store survive a crash", () => {
  const apps: OwnAppServer[] = [];
  let receiverDown = true;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;

  afterAll(async () => {
    await Promise.all(apps.map((app) => app.stop()));
    await receiver?.close();
  });

  it("a login approved while the receiver is down, then SIGKILL: the restarted app delivers it once, with its webhook-id", async () => {
    // The integrator's endpoint is down (it answers 503) until the restart.
    receiver = await startReceiver(() => receiverDown);
    const dataDir = await newDataDir();
    const settings = {
      QRL_STORE: "memory",
      QRL_DATA_DIR: dataDir,
      WEBHOOK_URL: receiver.url,
      WEBHOOK_SECRET: SECRET,
      // The first retry 2 s after the failure: the process is killed before it.
      WEBHOOK_RETRY_BASE_MS: "2000",
    };
    const first = await startApp(settings);
    apps.push(first);

    // A phone approves a login request: login.approved is queued and its first attempt fails.
    const phone = (await signInNative(first.url, "alice", "wonderland")).client;
    const desktop = new HttpClient(first.url);
    const { ticketId, scanUrl } = (await (
      await desktop.fetch("/api/qr", { method: "POST" })
    ).json()) as { ticketId: string; scanUrl: string };
    expect((await phone.fetch(scanPathOf(scanUrl), { method: "POST" })).status).toBe(200);
    expect((await phone.fetch(`/api/qr/${ticketId}/confirm`, { method: "POST" })).status).toBe(200);
    const id = webhookId(`login.approved:${ticketId}`);
    const refused = await receiver.waitFor((r) => r.headers["webhook-id"] === id);
    expect(refused.status).toBe(503);
    // The failure is written down (the row's next attempt set) before this line is logged.
    await until(
      () => first.output().includes(id) && first.output().includes("webhook delivery failed"),
      "the failed attempt to be logged",
    );
    await first.kill();
    expect(receiver.received.filter((r) => r.status === 204)).toHaveLength(0);

    // The receiver is back; a new process starts on the same data folder.
    receiverDown = false;
    const second = await startApp(settings, { port: first.port });
    apps.push(second);
    const delivered = await receiver.waitFor(
      (r) => r.headers["webhook-id"] === id && r.status === 204,
    );
    const payload = webhookPayload.parse(
      new Webhook(SECRET).verify(delivered.body, delivered.headers as Record<string, string>),
    );
    expect(payload).toMatchObject({ type: "login.approved", data: { userId: "demo-alice" } });
    expect(payload).toEqual(JSON.parse(refused.body));

    // Stopped, the data folder's outbox is empty: nothing left to send again.
    await second.stop();
    const database = await openDatabase({ kind: "pglite", dataDir, timeoutMs: 5000 });
    try {
      const [left] = await database.db.select({ n: count() }).from(webhookOutbox);
      expect(left?.n).toBe(0);
    } finally {
      await database.close();
    }
    const attempts = receiver.received.filter((r) => r.headers["webhook-id"] === id);
    expect(attempts.map((r) => r.status)).toEqual([503, 204]);
    // Logged once its row is deleted.
    expect(second.output()).toContain("webhook delivered");
    // Two starts on the embedded database: up to 20 s each on a busy 2-core machine.
  }, 120_000);
});

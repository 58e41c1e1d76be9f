import "server-only";
import { createHash, randomUUID } from "node:crypto";
import { accounts } from "../accounts";
import { env } from "../env";
import { hashId, logger } from "../log";
import { describeUserAgent } from "../net/user-agent";
import { registry, singleton } from "../registry";
import type { SessionRecord } from "../sessions/records";
import type { Ticket } from "../tickets/machine";
import type { WebhookPayload, WebhookType } from "./events";
import { DatabaseWebhookQueue } from "./outbox";
import { BullWebhookQueue, type WebhookQueue } from "./queue";

export { WEBHOOK_TYPES, type WebhookPayload, type WebhookType, webhookPayload } from "./events";

/**
 * The process's queue (and its worker), or null when no WEBHOOK_URL is set:
 * BullMQ on Redis; without Redis (the embedded mode) the `webhook_outbox`
 * table of the app's database, so an undelivered event survives a restart.
 */
export function webhookQueue(): WebhookQueue | null {
  const e = env();
  if (!e.WEBHOOK_URL || !e.WEBHOOK_SECRET) return null;
  const target = { url: e.WEBHOOK_URL, secret: e.WEBHOOK_SECRET };
  const policy = { attempts: e.WEBHOOK_MAX_ATTEMPTS, baseDelayMs: e.WEBHOOK_RETRY_BASE_MS };
  return singleton("webhooks", () =>
    e.store === "redis"
      ? new BullWebhookQueue({ url: e.REDIS_URL, clusterNodes: e.clusterNodes }, target, policy)
      : new DatabaseWebhookQueue(async () => (await accounts()).database, target, policy),
  );
}

/** Stops delivering (shutdown); messages not yet delivered stay queued (Redis or the database) for the next start or any instance. */
export async function closeWebhooks() {
  await registry().webhooks?.close();
}

/**
 * A message id: derived from `key` (the event and the thing it is about: one
 * ticket's approval, one session's end) so that emitting the same event again
 * (a retried request, a second instance) gives the same id, which the queue
 * keeps once and receivers de-duplicate on (Standard Webhooks' `webhook-id`);
 * random without a key. A hash: the id names no ticket or session.
 */
export const webhookId = (key?: string) =>
  `msg_${key ? createHash("sha256").update(key).digest("hex").slice(0, 32) : randomUUID().replaceAll("-", "")}`;

/**
 * Queues one event for delivery. Never throws and never waits for the
 * store or the receiver: a webhook must not block or fail a login.
 */
export function emitWebhook(payload: WebhookPayload, key?: string) {
  let queue: WebhookQueue | null;
  try {
    queue = webhookQueue();
  } catch (error) {
    logger().warn({ err: String(error) }, "webhooks unavailable");
    return;
  }
  if (!queue) return;
  const id = webhookId(key);
  queue
    .enqueue({ id, body: JSON.stringify(payload) })
    .catch((error: unknown) =>
      logger().warn({ webhook: id, type: payload.type, err: String(error) }, "webhook not queued"),
    );
}

const iso = (ms: number) => new Date(ms).toISOString();

const loginRequest = (ticket: Ticket) => ({
  userId: ticket.userId ?? "",
  requestId: hashId(ticket.id),
  requester: { ...describeUserAgent(ticket.requester.userAgent), ip: ticket.requester.ip },
  requestedAt: iso(ticket.createdAt),
});

/** login.approved, login.denied or login.reported, for the ticket as answered. */
export function emitTicketEvent(
  type: Extract<WebhookType, "login.approved" | "login.denied" | "login.reported">,
  ticket: Ticket,
) {
  // One answer per ticket: its approval (or denial) has one id however often it is sent.
  emitWebhook(
    { type, timestamp: iso(Date.now()), data: loginRequest(ticket) },
    `${type}:${ticket.id}`,
  );
}

/** login.completed: the computer claimed its session. */
export function emitLoginCompleted(ticket: Ticket, session: SessionRecord) {
  emitWebhook(
    {
      type: "login.completed",
      timestamp: iso(Date.now()),
      data: {
        ...loginRequest(ticket),
        sessionId: session.id,
        device: session.device,
        approvedBy: session.approvedBy ?? "",
      },
    },
    `login.completed:${ticket.id}`,
  );
}

/** session.signed_out, once per session that ended. */
export function emitSignedOut(
  ended: SessionRecord[],
  how: { by: "phone" | "computer"; reported?: boolean },
) {
  for (const r of ended) {
    emitWebhook(
      {
        type: "session.signed_out",
        timestamp: iso(Date.now()),
        data: {
          userId: r.userId,
          sessionId: r.id,
          kind: r.kind,
          device: r.device,
          by: how.by,
          reported: how.reported ?? false,
        },
      },
      `session.signed_out:${r.id}`,
    );
  }
}

/** passkey.added or passkey.removed. */
export function emitPasskeyChange(change: {
  kind: "added" | "removed";
  userId: string;
  passkey: { id: string; name: string };
  sessionId: string;
  at: number;
}) {
  emitWebhook(
    {
      type: change.kind === "added" ? "passkey.added" : "passkey.removed",
      timestamp: iso(change.at),
      data: {
        userId: change.userId,
        passkeyId: change.passkey.id,
        name: change.passkey.name,
        sessionId: change.sessionId,
      },
    },
    `passkey.${change.kind}:${change.passkey.id}:${change.at}`,
  );
}

/** account.deleted: the account and everything of it are gone. */
export function emitAccountDeleted(account: {
  id: string;
  username: string;
  signedOut: number;
  by: "phone" | "computer" | "admin";
}) {
  emitWebhook(
    {
      type: "account.deleted",
      timestamp: iso(Date.now()),
      data: {
        userId: account.id,
        username: account.username,
        signedOut: account.signedOut,
        by: account.by,
      },
    },
    `account.deleted:${account.id}`,
  );
}

/** account.recovered: a recovery code and the password lifted the passkey requirement. */
export function emitAccountRecovered(data: {
  userId: string;
  passkeysRemoved: number;
  sessionsSignedOut: number;
  codesLeft: number;
  device: { browser: string; os: string; ip: string };
}) {
  emitWebhook({ type: "account.recovered", timestamp: iso(Date.now()), data });
}

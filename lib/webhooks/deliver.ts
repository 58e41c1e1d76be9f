import "server-only";
import { Webhook } from "standardwebhooks";

/** One message to deliver: its id (the `webhook-id`, the same on every retry) and its JSON. */
export interface WebhookMessage {
  id: string;
  body: string;
}

/** How long the receiver has to answer one attempt. */
export const ATTEMPT_TIMEOUT_MS = 5_000;

/**
 * POSTs one signed message (Standard Webhooks: `webhook-id`,
 * `webhook-timestamp`, `webhook-signature: v1,<HMAC-SHA256>`). Resolves on a
 * 2xx; throws otherwise, and the queue retries with backoff.
 */
export async function deliver(
  target: { url: string; secret: string },
  message: WebhookMessage,
  now = new Date(),
): Promise<void> {
  const signature = new Webhook(target.secret).sign(message.id, now, message.body);
  const res = await fetch(target.url, {
    method: "POST",
    redirect: "error",
    signal: AbortSignal.timeout(ATTEMPT_TIMEOUT_MS),
    headers: {
      "content-type": "application/json",
      "user-agent": "qr-login-webhooks/1",
      "webhook-id": message.id,
      "webhook-timestamp": String(Math.floor(now.getTime() / 1000)),
      "webhook-signature": signature,
    },
    body: message.body,
  });
  await res.body?.cancel();
  if (!res.ok) throw new Error(`webhook receiver answered ${res.status}`);
}

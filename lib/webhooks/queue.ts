import "server-only";
import { type ConnectionOptions, Queue, Worker } from "bullmq";
import { Cluster } from "ioredis";
import { logger } from "../log";
import { deliver, type WebhookMessage } from "./deliver";

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  attempts: number;
  /** The first retry waits this long; each next one twice as long. */
  baseDelayMs: number;
}

export interface Target {
  url: string;
  secret: string;
}

/**
 * Where webhook messages wait for delivery. `enqueue` returns once the
 * message is kept (Redis: in BullMQ's queue, so a crash of this instance
 * loses nothing, and any instance's worker delivers it; without Redis: in the
 * database's `webhook_outbox`, lib/webhooks/outbox.ts); delivery and its
 * retries happen in the background and never touch a login.
 */
export interface WebhookQueue {
  enqueue(message: WebhookMessage): Promise<void>;
  close(): Promise<void>;
}

const QUEUE = "webhooks";
/** A hash tag, so all of BullMQ's keys for the queue sit in one Redis Cluster slot. */
const PREFIX = "{qrl-webhooks}";

/** How long the retry after attempt `attemptsMade` waits: the base, doubled for each attempt after the first. */
export const backoffDelay = (policy: RetryPolicy, attemptsMade: number) =>
  policy.baseDelayMs * 2 ** Math.max(0, attemptsMade - 1);

/**
 * BullMQ on the app's Redis: persistent, atomic job moves (Lua), delayed
 * retries with exponential backoff, and one worker per instance.
 */
export class BullWebhookQueue implements WebhookQueue {
  private readonly queue: Queue;
  private readonly worker: Worker;

  constructor(
    redis: { url?: string; clusterNodes?: { host: string; port: number }[] },
    target: Target,
    policy: RetryPolicy,
  ) {
    // BullMQ's connections wait for Redis rather than fail a command (its workers block on it).
    const connection = (): ConnectionOptions =>
      redis.clusterNodes?.length
        ? new Cluster(redis.clusterNodes, { redisOptions: { maxRetriesPerRequest: null } })
        : { url: redis.url, maxRetriesPerRequest: null };
    this.queue = new Queue(QUEUE, {
      connection: connection(),
      prefix: PREFIX,
      defaultJobOptions: {
        attempts: policy.attempts,
        backoff: { type: "custom" },
        removeOnComplete: 1000,
        removeOnFail: 5000,
      },
    });
    this.worker = new Worker(QUEUE, async (job) => deliver(target, job.data as WebhookMessage), {
      connection: connection(),
      prefix: PREFIX,
      concurrency: 8,
      settings: { backoffStrategy: (attemptsMade: number) => backoffDelay(policy, attemptsMade) },
    });
    this.queue.on("error", (err) => logger().warn({ err: err.message }, "webhook queue error"));
    this.worker.on("error", (err) => logger().warn({ err: err.message }, "webhook worker error"));
    this.worker.on("failed", (job, err) =>
      logger().warn(
        { webhook: job?.data?.id, attempt: job?.attemptsMade, err: err.message },
        "webhook delivery failed",
      ),
    );
    this.worker.on("completed", (job) =>
      logger().info({ webhook: job.data.id, attempt: job.attemptsMade }, "webhook delivered"),
    );
  }

  async enqueue(message: WebhookMessage) {
    // The message id is the job id: enqueuing one message twice keeps one job.
    await this.queue.add("deliver", message, { jobId: message.id });
  }

  async close() {
    await Promise.allSettled([this.worker.close(), this.queue.close()]);
  }
}

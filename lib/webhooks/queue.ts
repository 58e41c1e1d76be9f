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
 * loses nothing, and any instance's worker delivers it); delivery and its
 * retries happen in the background and never touch a login.
 */
export interface WebhookQueue {
  enqueue(message: WebhookMessage): Promise<void>;
  close(): Promise<void>;
}

const QUEUE = "webhooks";
/** A hash tag, so all of BullMQ's keys for the queue sit in one Redis Cluster slot. */
const PREFIX = "{qrl-webhooks}";

const backoffDelay = (policy: RetryPolicy, attemptsMade: number) =>
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

/**
 * The embedded store's equivalent, in this process: the same attempts and
 * backoff with timers. Like the embedded store itself, it keeps nothing
 * across a restart.
 */
export class MemoryWebhookQueue implements WebhookQueue {
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly target: Target,
    private readonly policy: RetryPolicy,
  ) {}

  /** Ids queued lately (newest last): the same message queued twice is delivered once. */
  private readonly recent = new Set<string>();

  async enqueue(message: WebhookMessage) {
    if (this.recent.has(message.id)) return;
    this.recent.add(message.id);
    // As BullMQ keeps its last 1,000 completed jobs' ids.
    if (this.recent.size > 1_000) this.recent.delete(this.recent.values().next().value as string);
    this.attempt(message, 1, 0);
  }

  private attempt(message: WebhookMessage, n: number, delayMs: number) {
    const timer = setTimeout(async () => {
      this.timers.delete(timer);
      try {
        await deliver(this.target, message);
        logger().info({ webhook: message.id, attempt: n }, "webhook delivered");
      } catch (error) {
        logger().warn(
          { webhook: message.id, attempt: n, err: String(error) },
          "webhook delivery failed",
        );
        if (n < this.policy.attempts) this.attempt(message, n + 1, backoffDelay(this.policy, n));
      }
    }, delayMs);
    timer.unref();
    this.timers.add(timer);
  }

  async close() {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }
}

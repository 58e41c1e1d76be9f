import "server-only";
import { asc, eq, inArray, lte, sql } from "drizzle-orm";
import type { Database } from "../db/client";
import { webhookOutbox } from "../db/schema";
import { logger } from "../log";
import type { WebhookMessage } from "./deliver";
import { ATTEMPT_TIMEOUT_MS, deliver } from "./deliver";
import { backoffDelay, type RetryPolicy, type Target, type WebhookQueue } from "./queue";

/** Deliveries under way at once in this process. */
const CONCURRENCY = 8;
/**
 * A claimed row is due again this long after its claim: its attempt ends
 * within ATTEMPT_TIMEOUT_MS, so a row still claimed past the lease belongs to
 * a process that died mid-attempt, and is attempted again.
 */
const DEFAULT_LEASE_MS = ATTEMPT_TIMEOUT_MS * 6;
/** After a failed query (the database is down or stalled), look again this much later. */
const RETRY_DATABASE_MS = 1_000;
/** The longest the worker sleeps without looking at the table. */
const IDLE_LOOK_MS = 60_000;
/** The shortest: rows due but claimed by another worker at that instant are looked at again after it. */
const MIN_LOOK_MS = 25;
/** Ids delivered lately by this process: queuing one again sends nothing (as BullMQ keeps its last 1,000 jobs). */
const REMEMBERED = 1_000;

type Row = { id: string; message: Record<string, unknown>; attempts: number };

const after = (ms: number) => sql`now() + make_interval(secs => ${ms / 1000}::float8)`;

/**
 * The queue without Redis (the embedded mode): a `webhook_outbox` table in
 * the app's database (PGlite, or PostgreSQL), so a message not yet delivered
 * survives a restart or a crash. `enqueue` inserts the row (once per id:
 * `ON CONFLICT DO NOTHING`) and wakes the worker, which claims due rows
 * (`FOR UPDATE SKIP LOCKED`, so workers sharing a PostgreSQL never take the
 * same row; the claim counts the attempt and leases the row), delivers them
 * with the same `deliver()`, and deletes each row once delivered or after its
 * last attempt; a failed attempt makes the row due again after the same
 * exponential backoff as BullMQ's. A timer wakes the worker for the next
 * due row; at start it delivers what an earlier process left.
 *
 * Once per id: while its row exists the insert is a no-op, and this process
 * remembers the last 1,000 ids it delivered, so a transition retried after
 * the delivery sends nothing either. Past that (another process, or a
 * delivery whose row could not be deleted), delivery is at least once and
 * receivers de-duplicate on `webhook-id`, as with BullMQ.
 */
export class DatabaseWebhookQueue implements WebhookQueue {
  private closed = false;
  private running: Promise<void> | undefined;
  private again = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly delivered = new Set<string>();

  constructor(
    private readonly database: () => Promise<Database>,
    private readonly target: Target,
    private readonly policy: RetryPolicy,
    private readonly leaseMs = DEFAULT_LEASE_MS,
  ) {
    this.wake();
  }

  async enqueue(message: WebhookMessage) {
    if (this.delivered.has(message.id)) return;
    const database = await this.database();
    const inserted = await database.run((db) =>
      db
        .insert(webhookOutbox)
        .values({ id: message.id, message: JSON.parse(message.body) })
        .onConflictDoNothing()
        .returning({ id: webhookOutbox.id }),
    );
    if (inserted.length === 0) return;
    // Delivered (and its row deleted) while this insert was on its way: not again.
    if (this.delivered.has(message.id)) return this.forget(database, message.id);
    this.wake();
  }

  async close() {
    this.closed = true;
    clearTimeout(this.timer);
    await this.running;
    await Promise.allSettled([...this.inFlight]);
  }

  /** Looks for due rows now; a look under way looks again when it ends. */
  private wake() {
    if (this.closed) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.look().finally(() => {
      this.running = undefined;
      if (this.again) this.wake();
    });
  }

  private async look() {
    this.again = false;
    clearTimeout(this.timer);
    const free = CONCURRENCY - this.inFlight.size;
    // Every slot busy: each attempt that ends wakes the worker.
    if (free <= 0) return;
    try {
      const database = await this.database();
      const rows = await this.claim(database, free);
      for (const row of rows) this.start(database, row);
      if (rows.length === free) {
        this.again = true;
        return;
      }
      const ms = await this.nextDueInMs(database);
      this.sleep(ms === null ? IDLE_LOOK_MS : Math.min(Math.max(ms, MIN_LOOK_MS), IDLE_LOOK_MS));
    } catch (error) {
      logger().warn({ err: String(error) }, "webhook outbox unavailable; looking again shortly");
      this.sleep(RETRY_DATABASE_MS);
    }
  }

  private sleep(ms: number) {
    if (this.closed) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.wake(), ms);
    this.timer.unref();
  }

  /** Takes up to `n` due rows: counts their attempt and leases them. */
  private claim(database: Database, n: number): Promise<Row[]> {
    return database.run((db) => {
      const due = db
        .select({ id: webhookOutbox.id })
        .from(webhookOutbox)
        .where(lte(webhookOutbox.nextAttemptAt, sql`now()`))
        .orderBy(asc(webhookOutbox.nextAttemptAt))
        .limit(n)
        .for("update", { skipLocked: true });
      return db
        .update(webhookOutbox)
        .set({ attempts: sql`${webhookOutbox.attempts} + 1`, nextAttemptAt: after(this.leaseMs) })
        .where(inArray(webhookOutbox.id, due))
        .returning({
          id: webhookOutbox.id,
          message: webhookOutbox.message,
          attempts: webhookOutbox.attempts,
        });
    });
  }

  /** Milliseconds until the next row is due (0 when one is), null when the table is empty. */
  private async nextDueInMs(database: Database): Promise<number | null> {
    const [row] = await database.run((db) =>
      db
        .select({
          ms: sql<
            number | null
          >`extract(epoch from min(${webhookOutbox.nextAttemptAt}) - now())::float8 * 1000`,
        })
        .from(webhookOutbox),
    );
    return row?.ms === null || row?.ms === undefined ? null : Number(row.ms);
  }

  private start(database: Database, row: Row) {
    const attempt = this.attempt(database, row)
      .catch((error: unknown) =>
        // The row stays claimed: it is attempted again once its lease is over.
        logger().warn(
          { webhook: row.id, attempt: row.attempts, err: String(error) },
          "webhook outbox not updated; the message is attempted again after its lease",
        ),
      )
      .finally(() => {
        this.inFlight.delete(attempt);
        this.wake();
      });
    this.inFlight.add(attempt);
  }

  private async forget(database: Database, id: string) {
    await database.run((db) => db.delete(webhookOutbox).where(eq(webhookOutbox.id, id)));
  }

  private async attempt(database: Database, row: Row) {
    const log = logger();
    const gone = () => this.forget(database, row.id);
    // Queued again by this process after its delivery (a retried transition): not sent twice.
    if (this.delivered.has(row.id)) return gone();
    try {
      await deliver(this.target, { id: row.id, body: JSON.stringify(row.message) });
    } catch (error) {
      if (row.attempts >= this.policy.attempts) {
        await gone();
        log.error(
          { webhook: row.id, attempt: row.attempts, err: String(error) },
          "webhook dropped: its last attempt failed",
        );
        return;
      }
      const delayMs = backoffDelay(this.policy, row.attempts);
      await database.run((db) =>
        db
          .update(webhookOutbox)
          .set({ nextAttemptAt: after(delayMs) })
          .where(eq(webhookOutbox.id, row.id)),
      );
      log.warn(
        { webhook: row.id, attempt: row.attempts, retryInMs: delayMs, err: String(error) },
        "webhook delivery failed",
      );
      return;
    }
    // Remembered before its row goes: a copy queued meanwhile is dropped, not sent (enqueue).
    this.delivered.add(row.id);
    if (this.delivered.size > REMEMBERED) {
      this.delivered.delete(this.delivered.values().next().value as string);
    }
    await gone();
    log.info({ webhook: row.id, attempt: row.attempts }, "webhook delivered");
  }
}

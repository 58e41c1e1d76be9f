import "server-only";
import { randomBytes } from "node:crypto";
import { and, desc, eq, gte, sql } from "drizzle-orm";
import type { Database } from "../db/client";
import { securityEvents } from "../db/schema";
import { rememberCte } from "../devices/known-browsers";
import { keys } from "../store/keys";
import type { KvStore } from "../store/kv";
import type { HistoryEntry } from "./history";

export const HISTORY_MAX_ENTRIES = 50;
export const HISTORY_TTL_MS = 90 * 24 * 60 * 60 * 1000;

/**
 * The security history (/m/activity) in the database (`security_events`):
 * losing Redis never loses an entry. Each write is one statement that adds
 * the entry and drops the account's entries past the newest 50 or older than
 * 90 days, so an account's history stays bounded without a sweeper.
 *
 * `legacy`: the Redis list it lived in before; read once at the next look
 * and carried over, then removed.
 */
export class SecurityHistory {
  constructor(
    private readonly database: () => Promise<Database>,
    private readonly legacy?: KvStore,
  ) {}

  async record(userId: string, entry: HistoryEntry): Promise<void> {
    const db = await this.database();
    await db.run((q) => q.execute(sql`WITH ${addCte(userId, entry)} SELECT 1`));
  }

  /**
   * A QR sign-in: its history entry and its browser remembered
   * (known_browsers), in one statement (one round trip after the claim).
   */
  async recordLogin(
    userId: string,
    entry: HistoryEntry,
    browser?: { deviceHash: string; label: string },
  ): Promise<void> {
    const db = await this.database();
    const parts = [addCte(userId, entry)];
    if (browser) parts.push(rememberCte(userId, browser.deviceHash, browser.label));
    await db.run((q) => q.execute(sql`WITH ${sql.join(parts, sql`, `)} SELECT 1`));
  }

  /** The account's entries, newest first (at most 50, at most 90 days old). */
  async recent(userId: string, now = Date.now()): Promise<HistoryEntry[]> {
    if (this.legacy) await this.carryOver(userId);
    const db = await this.database();
    const rows = await db.run((q) =>
      q
        .select()
        .from(securityEvents)
        .where(
          and(
            eq(securityEvents.accountId, userId),
            gte(securityEvents.at, new Date(now - HISTORY_TTL_MS)),
          ),
        )
        .orderBy(desc(securityEvents.at), desc(securityEvents.id))
        .limit(HISTORY_MAX_ENTRIES),
    );
    return rows.map((r) => ({
      ...(r.details as Omit<HistoryEntry, "kind" | "at">),
      kind: r.kind as HistoryEntry["kind"],
      at: r.at.getTime(),
    }));
  }

  private async carryOver(userId: string) {
    const legacy = this.legacy as KvStore;
    const raw = await legacy.listHead(keys.history(userId), HISTORY_MAX_ENTRIES);
    if (raw.length === 0) return;
    const entries = raw.flatMap((line) => {
      try {
        const e = JSON.parse(line) as HistoryEntry;
        return typeof e.kind === "string" && typeof e.at === "number" ? [e] : [];
      } catch {
        return [];
      }
    });
    const db = await this.database();
    if (entries.length > 0) {
      await db.run((q) =>
        q.insert(securityEvents).values(
          entries.map((e) => {
            const { kind, at, ...details } = e;
            return { id: newId(), accountId: userId, kind, details, at: new Date(at) };
          }),
        ),
      );
    }
    await legacy.del(keys.history(userId));
  }
}

const newId = () => randomBytes(12).toString("base64url");

/** `added AS (INSERT …), pruned AS (DELETE …)`: the new entry, and the account's oldest dropped. */
function addCte(userId: string, entry: HistoryEntry) {
  const { kind, at, ...details } = entry;
  const when = new Date(at).toISOString();
  const cutoff = new Date(at - HISTORY_TTL_MS).toISOString();
  // The DELETE sees the rows as they were before this statement: keep the newest 49 of them.
  return sql`added AS (
    INSERT INTO security_events (id, account_id, kind, details, at)
    VALUES (${newId()}, ${userId}, ${kind}, ${JSON.stringify(details)}::jsonb, ${when}::timestamptz)
  ),
  pruned AS (
    DELETE FROM security_events
    WHERE account_id = ${userId}
      AND (at < ${cutoff}::timestamptz OR id IN (
        SELECT id FROM security_events WHERE account_id = ${userId}
        ORDER BY at DESC, id DESC OFFSET ${HISTORY_MAX_ENTRIES - 1}
      ))
  )`;
}

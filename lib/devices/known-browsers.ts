import "server-only";
import { and, eq, sql } from "drizzle-orm";
import type { Database } from "../db/client";
import { knownBrowsers } from "../db/schema";
import { keys } from "../store/keys";
import type { KvStore } from "../store/kv";
import { sha256 } from "../tickets/ids";

/**
 * The browsers each account completed a QR login from, in the database
 * (`known_browsers`): losing Redis never makes a known browser ask
 * "Continue as …?" again, nor forgets one. Stored as hashes: the ticket
 * keeps SHA-256 of the device cookie, the row SHA-256 of the account id and
 * that hash, so one browser reads as unrelated rows under two accounts and
 * the cookie itself is never kept.
 *
 * `legacy`: where they lived before (a Redis hash per user). A browser not in
 * the database is looked up there once and carried over, so upgrading asks
 * no known browser again.
 */
export const browserEntry = (userId: string, deviceHash: string) =>
  sha256(`${userId}\n${deviceHash}`);

export class KnownBrowsers {
  constructor(
    private readonly database: () => Promise<Database>,
    private readonly legacy?: KvStore,
  ) {}

  /** Whether `userId` completed a QR login from this browser before. */
  async known(userId: string, deviceHash: string): Promise<boolean> {
    const entry = browserEntry(userId, deviceHash);
    const db = await this.database();
    const rows = await db.run((q) =>
      q
        .select({ one: sql<number>`1` })
        .from(knownBrowsers)
        .where(and(eq(knownBrowsers.accountId, userId), eq(knownBrowsers.deviceHash, entry)))
        .limit(1),
    );
    if (rows.length > 0) return true;
    if (!this.legacy) return false;
    const before = await this.legacy.getField(keys.devices(userId), entry);
    if (before === null) return false;
    await this.remember(userId, deviceHash, "");
    return true;
  }

  /** Remembers (or touches) this browser for `userId`; `label` e.g. "Chrome on Windows". */
  async remember(userId: string, deviceHash: string, label: string): Promise<void> {
    const db = await this.database();
    await db.run((q) => q.execute(sql`WITH ${rememberCte(userId, deviceHash, label)} SELECT 1`));
  }
}

/** `known_browser AS (INSERT … ON CONFLICT DO UPDATE)`: one statement's part (history.ts joins it). */
export function rememberCte(userId: string, deviceHash: string, label: string) {
  const entry = browserEntry(userId, deviceHash);
  const now = new Date().toISOString();
  return sql`known_browser AS (
    INSERT INTO known_browsers (account_id, device_hash, label, created_at, last_seen_at)
    VALUES (${userId}, ${entry}, ${label}, ${now}::timestamptz, ${now}::timestamptz)
    ON CONFLICT (account_id, device_hash) DO UPDATE
      SET last_seen_at = EXCLUDED.last_seen_at,
          label = CASE WHEN EXCLUDED.label = '' THEN known_browsers.label ELSE EXCLUDED.label END
  )`;
}

import { count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AccountStore } from "@/lib/accounts/store";
import { type Database, openDatabase } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";
import { knownBrowsers, securityEvents } from "@/lib/db/schema";
import { KnownBrowsers } from "@/lib/devices/known-browsers";
import type { HistoryEntry } from "@/lib/history/history";
import { HISTORY_MAX_ENTRIES, SecurityHistory } from "@/lib/history/security-history";
import { keys } from "@/lib/store/keys";
import { MemoryKv } from "@/lib/store/memory-kv";
import { sha256 } from "@/lib/tickets/ids";
import type { Backend } from "./accounts-contract";

const DAY = 24 * 60 * 60 * 1000;
const device = { browser: "Chrome", os: "Windows", ip: "203.0.113.9" };

/**
 * Known browsers and the security history in the database: the same on
 * PGlite (embedded) and PostgreSQL, and carried over from where Redis kept them.
 */
export function securityRecordsContract(name: string, backend: Backend) {
  describe(`known browsers and security history (${name})`, () => {
    let database: Database;
    let ann: string;
    let ben: string;
    const db = async () => database;

    beforeAll(async () => {
      const settings = await backend.settings();
      database = await openDatabase(settings);
      await migrate(database, settings);
      const store = new AccountStore(database);
      ann = (await store.create({ username: "ann", password: "ann-pass" })).id;
      ben = (await store.create({ username: "ben", password: "ben-pass" })).id;
    });
    afterAll(async () => {
      await database?.close();
      await backend.cleanup();
    });

    it("knows a browser once remembered, for that account only, one row however often", async () => {
      const browsers = new KnownBrowsers(db);
      const cookie = sha256("device-cookie-1");
      expect(await browsers.known(ann, cookie)).toBe(false);
      await browsers.remember(ann, cookie, "Chrome on Windows");
      await browsers.remember(ann, cookie, "Chrome on Windows");
      expect(await browsers.known(ann, cookie)).toBe(true);
      expect(await browsers.known(ben, cookie)).toBe(false);
      expect(await browsers.known(ann, sha256("device-cookie-2"))).toBe(false);
      const rows = await database.db
        .select()
        .from(knownBrowsers)
        .where(eq(knownBrowsers.accountId, ann));
      expect(rows).toHaveLength(1);
      // Neither the cookie nor its ticket hash is stored: a hash bound to the account.
      expect(rows[0]?.deviceHash).not.toBe(cookie);
      expect(rows[0]?.label).toBe("Chrome on Windows");
    });

    it("carries a browser known in Redis before over to the database", async () => {
      const legacy = new MemoryKv();
      const cookie = sha256("device-cookie-old");
      await legacy.setField(
        keys.devices(ben),
        sha256(`${ben}\n${cookie}`),
        String(Date.now()),
        60_000,
      );
      expect(await new KnownBrowsers(db, legacy).known(ben, cookie)).toBe(true);
      // Now in the database: known without Redis.
      expect(await new KnownBrowsers(db).known(ben, cookie)).toBe(true);
    });

    it("keeps the newest 50 entries of 90 days, newest first", async () => {
      const history = new SecurityHistory(db);
      const now = Date.now();
      await history.record(ann, { kind: "denied", ...device, at: now - 100 * DAY });
      for (let i = 0; i < HISTORY_MAX_ENTRIES + 5; i++) {
        await history.record(ann, { kind: "login", ...device, at: now - 1000 + i });
      }
      await history.record(ann, { kind: "signed_out", by: "phone", ...device, at: now });
      const recent = await history.recent(ann, now);
      expect(recent).toHaveLength(HISTORY_MAX_ENTRIES);
      expect(recent[0]).toEqual({ kind: "signed_out", by: "phone", ...device, at: now });
      expect(recent.every((e, i) => i === 0 || e.at <= (recent[i - 1] as HistoryEntry).at)).toBe(
        true,
      );
      expect(recent.some((e) => e.kind === "denied")).toBe(false);
      // Bounded in the table too: older entries were dropped as new ones came.
      const rows = await database.db
        .select({ n: count() })
        .from(securityEvents)
        .where(eq(securityEvents.accountId, ann));
      expect(rows[0]?.n).toBe(HISTORY_MAX_ENTRIES);
      expect(await history.recent(ben, now)).toEqual([]);
    });

    it("a QR sign-in writes its entry and remembers its browser together", async () => {
      const history = new SecurityHistory(db);
      const cookie = sha256("device-cookie-login");
      const at = Date.now();
      await history.recordLogin(
        ben,
        { kind: "login", ...device, at },
        {
          deviceHash: cookie,
          label: "Chrome on Windows",
        },
      );
      expect((await history.recent(ben))[0]).toEqual({ kind: "login", ...device, at });
      expect(await new KnownBrowsers(db).known(ben, cookie)).toBe(true);
    });

    it("carries the history Redis held before over to the database, then drops it there", async () => {
      const legacy = new MemoryKv();
      const store = new AccountStore(database);
      const cy = (await store.create({ username: "cy", password: "cy-pass" })).id;
      const old: HistoryEntry = { kind: "reported_request", ...device, at: Date.now() - DAY };
      await legacy.pushCapped(keys.history(cy), JSON.stringify(old), 50, 60_000);
      await legacy.pushCapped(keys.history(cy), "not json", 50, 60_000);
      expect(await new SecurityHistory(db, legacy).recent(cy)).toEqual([old]);
      expect(await legacy.listHead(keys.history(cy), 50)).toEqual([]);
      expect(await new SecurityHistory(db).recent(cy)).toEqual([old]);
    });
  });
}

import { cp, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { AccountStore } from "@/lib/accounts/store";
import { openDatabase } from "@/lib/db/client";
import { MIGRATIONS, migrate } from "@/lib/db/migrate";
import type { DatabaseSettings } from "@/lib/env";
import { freshDatabase, holdSession, sql } from "../support/databases";
import { accountStoreContract } from "./accounts-contract";

type PostgresSettings = Extract<DatabaseSettings, { kind: "postgres" }>;

interface Journal {
  entries: { idx: number; tag: string }[];
}

/** drizzle/'s journal: one entry per committed migration. */
const journal = async (folder = MIGRATIONS) =>
  JSON.parse(await readFile(join(folder, "meta/_journal.json"), "utf8")) as Journal;

/** A copy of drizzle/ as it was after its first `count` migrations: the previous schema. */
async function firstMigrations(count: number): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), "qrl-migrations-"));
  await cp(MIGRATIONS, folder, { recursive: true });
  const all = await journal(folder);
  all.entries = all.entries.slice(0, count);
  await writeFile(join(folder, "meta/_journal.json"), JSON.stringify(all));
  return folder;
}

const settingsFor = (url: string, timeoutMs = 2000): PostgresSettings => ({
  kind: "postgres",
  url,
  poolMax: 4,
  timeoutMs,
});

accountStoreContract("PostgreSQL 15", {
  settings: async () => settingsFor(await freshDatabase("contract")),
  cleanup: async () => {},
});

describe("PostgreSQL only", () => {
  it("two instances starting together apply the migrations once (advisory lock)", async () => {
    const settings = settingsFor(await freshDatabase("together"));
    const [a, b] = await Promise.all([openDatabase(settings), openDatabase(settings)]);
    await Promise.all([migrate(a, settings), migrate(b, settings)]);
    const rows = await sql<{ n: string }>(
      "SELECT count(*) AS n FROM drizzle.__drizzle_migrations",
      settings.url,
    );
    // Each migration applied once: one row per migration in the journal, not two.
    expect(rows[0]?.n).toBe(String((await journal()).entries.length));
    expect(await new AccountStore(b).count()).toBe(0);
    await Promise.all([a.close(), b.close()]);
  });

  it("a migrator waits for another's advisory lock instead of applying beside it", async () => {
    const settings = settingsFor(await freshDatabase("locked"));
    const database = await openDatabase(settings);
    // Another instance is migrating: it holds the lock.
    const other = await holdSession(settings.url, "SELECT pg_advisory_lock(1364347939)");
    let done = false;
    const migrating = migrate(database, settings).then(() => {
      done = true;
    });
    // Until the lock is free, the migrator waits on it (seen in pg_locks), and no table exists.
    for (;;) {
      const waiting = await sql<{ n: string }>(
        "SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted",
        settings.url,
      );
      if (waiting[0]?.n === "1") break;
    }
    expect(done).toBe(false);
    const tables = await sql<{ n: string }>(
      "SELECT count(*) AS n FROM information_schema.tables WHERE table_name = 'accounts'",
      settings.url,
    );
    expect(tables[0]?.n).toBe("0");
    await other.release();
    await migrating;
    expect(await new AccountStore(database).count()).toBe(0);
    await database.close();
  });

  it("migrates from the previous schema: the accounts stay, the new tables come", async () => {
    const { entries } = await journal();
    expect(entries.length).toBeGreaterThan(1);
    const settings = settingsFor(await freshDatabase("previous"));
    const database = await openDatabase(settings);
    // The database as the previous release left it: every migration but the last, and an account.
    await migrate(database, settings, await firstMigrations(entries.length - 1));
    const store = new AccountStore(database);
    const alice = await store.create({ username: "alice", password: "wonderland" });
    // The tables the last migration creates (0002: webhook_outbox).
    const last = entries[entries.length - 1]?.tag ?? "";
    const created = [
      ...(await readFile(join(MIGRATIONS, `${last}.sql`), "utf8")).matchAll(
        /CREATE TABLE "(\w+)"/g,
      ),
    ].map((m) => m[1]);
    expect(created.length).toBeGreaterThan(0);
    const tablesOf = async () =>
      (
        await sql<{ n: string }>(
          `SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = 'public' AND table_name IN (${created.map((t) => `'${t}'`).join(", ")})`,
          settings.url,
        )
      )[0]?.n;
    expect(await tablesOf()).toBe("0");
    // This release starts: the rest is applied, nothing is lost.
    await migrate(database, settings);
    expect(await store.find("alice")).toMatchObject({ id: alice.id, username: "alice" });
    expect(await store.verify("alice", "wonderland")).toMatchObject({ id: alice.id });
    expect(await tablesOf()).toBe(String(created.length));
    const applied = await sql<{ n: string }>(
      "SELECT count(*) AS n FROM drizzle.__drizzle_migrations",
      settings.url,
    );
    expect(applied[0]?.n).toBe(String(entries.length));
    await database.close();
  });

  it("a stalled database fails within the store deadline as unavailable, never hangs", async () => {
    const settings = settingsFor(await freshDatabase("stalled"), 500);
    const database = await openDatabase(settings);
    await migrate(database, settings);
    const store = new AccountStore(database);
    await store.create({ username: "alice", password: "wonderland" });
    // Another session holds the table: every read of it waits.
    const holder = await holdSession(
      settings.url,
      "BEGIN; LOCK TABLE accounts IN ACCESS EXCLUSIVE MODE",
    );
    try {
      const started = performance.now();
      await expect(store.find("alice")).rejects.toMatchObject({ name: "StoreUnavailableError" });
      expect(performance.now() - started).toBeLessThan(1500);
    } finally {
      await holder.release();
    }
    // Once the lock is gone the same store answers again.
    expect(await store.find("alice")).toMatchObject({ username: "alice" });
    await database.close();
  });

  it("a database that is down fails as unavailable within the deadline", async () => {
    const database = await openDatabase(settingsFor("postgres://qrl@127.0.0.1:1/none", 500));
    const started = performance.now();
    await expect(new AccountStore(database).find("alice")).rejects.toMatchObject({
      name: "StoreUnavailableError",
    });
    expect(performance.now() - started).toBeLessThan(1500);
    await database.close();
  });
});

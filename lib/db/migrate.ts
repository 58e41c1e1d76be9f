import "server-only";
import { resolve } from "node:path";
import { drizzle as drizzlePg } from "drizzle-orm/node-postgres";
import { migrate as migratePg } from "drizzle-orm/node-postgres/migrator";
import type { PgliteDatabase } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { Client } from "pg";
import type { DatabaseSettings } from "../env";
import type { Database } from "./client";

/** The SQL drizzle-kit generated from ./schema.ts, committed in drizzle/ (the server runs from the project root). */
export const MIGRATIONS = resolve(process.cwd(), "drizzle");

/** Any fixed number: every instance takes the same advisory lock around its migrations. */
const MIGRATION_LOCK = 0x51524c23;

/**
 * Applies the migrations not yet applied. PostgreSQL: on a connection of its
 * own without the request timeouts, under a session advisory lock, so that
 * two instances starting together apply them once (the second waits, then
 * finds nothing left to do). PGlite: one process holds the folder already.
 */
export async function migrate(
  database: Database,
  settings: DatabaseSettings,
  folder = MIGRATIONS,
): Promise<void> {
  if (settings.kind === "pglite") {
    await migratePglite(database.db as unknown as PgliteDatabase, { migrationsFolder: folder });
    return;
  }
  const client = new Client({ connectionString: settings.url, connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK]);
    try {
      await migratePg(drizzlePg({ client }), { migrationsFolder: folder });
    } finally {
      await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK]);
    }
  } finally {
    await client.end();
  }
}

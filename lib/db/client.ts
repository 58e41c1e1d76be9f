import "server-only";
import { PGlite } from "@electric-sql/pglite";
import { drizzle as drizzlePg } from "drizzle-orm/node-postgres";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { Pool } from "pg";
import type { DatabaseSettings } from "../env";
import { withDeadline } from "../store/deadline";
import { releaseDataDir, takeDataDir } from "./data-dir";
import * as schema from "./schema";

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

/** One open database: PostgreSQL through a pool, or PGlite in a folder. */
export interface Database {
  kind: "postgres" | "pglite";
  /** For the start-up line, e.g. "PostgreSQL at db.internal:5432/qrl", never the password. */
  where: string;
  /** Runs queries under the store deadline: past it, or on any failure, StoreUnavailableError (a 503). */
  run<T>(call: (db: Db) => Promise<T>): Promise<T>;
  /** Without a deadline: migrations and the operators' commands. */
  db: Db;
  close(): Promise<void>;
}

/**
 * Opens the database the settings name (no migrations: lib/db/migrate.ts).
 * PostgreSQL: every statement is bounded by the store timeout on the server
 * (statement_timeout) and in the client (query and connection timeouts), so a
 * stalled database fails a request in time instead of holding it.
 */
export async function openDatabase(settings: DatabaseSettings): Promise<Database> {
  const { timeoutMs } = settings;
  if (settings.kind === "postgres") {
    const pool = new Pool({
      connectionString: settings.url,
      max: settings.poolMax,
      connectionTimeoutMillis: timeoutMs,
      statement_timeout: timeoutMs,
      query_timeout: timeoutMs + 100,
      idle_in_transaction_session_timeout: 10_000,
      idleTimeoutMillis: 30_000,
    });
    // An idle connection's error (the server went away) must not crash the process;
    // the next query reconnects or fails with a 503.
    pool.on("error", () => {});
    const db = drizzlePg({ client: pool, schema }) as unknown as Db;
    return {
      kind: "postgres",
      where: `PostgreSQL at ${describeUrl(settings.url)}`,
      db,
      run: (call) => withDeadline(timeoutMs, () => call(db), "PostgreSQL"),
      close: () => pool.end(),
    };
  }
  const folder = await takeDataDir(settings.dataDir);
  try {
    const client = await PGlite.create(`${folder}/pglite`);
    const db = drizzlePglite({ client, schema }) as unknown as Db;
    return {
      kind: "pglite",
      where: `PGlite (embedded) in ${folder}`,
      db,
      run: (call) => withDeadline(timeoutMs, () => call(db), "the embedded database"),
      async close() {
        await client.close();
        await releaseDataDir(folder);
      },
    };
  } catch (error) {
    await releaseDataDir(folder);
    throw error;
  }
}

function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || 5432}${u.pathname}`;
  } catch {
    return "DATABASE_URL";
  }
}

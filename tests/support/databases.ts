import { randomBytes } from "node:crypto";
import { Client } from "pg";
import { type PostgresServer, startPostgres } from "./postgres-server";

let own: Promise<PostgresServer> | undefined;

/**
 * The run's PostgreSQL server: the one vitest's global setup started, or,
 * outside vitest (the bench's topology stack), one of this process's own,
 * removed when it exits.
 */
async function serverUrl(): Promise<string> {
  if (process.env.VITEST) return (await import("vitest")).inject("postgresUrl");
  own ??= startPostgres().then((server) => {
    process.once("exit", () => void server.remove());
    return server;
  });
  return (await own).url();
}

/**
 * A new, empty database on the run's PostgreSQL server (global setup), named
 * `<prefix>_<random>`; returns its URL. Databases are dropped with the server
 * at the end of the run.
 */
export async function freshDatabase(prefix: string): Promise<string> {
  const name = `${prefix}_${randomBytes(4).toString("hex")}`;
  await sql(`CREATE DATABASE "${name}"`);
  const url = new URL(await serverUrl());
  url.pathname = `/${name}`;
  return url.toString();
}

/** Runs one statement as the superuser (on `url`'s database, default the server's own). */
export async function sql<T = Record<string, unknown>>(
  statement: string,
  url?: string,
): Promise<T[]> {
  const client = new Client({ connectionString: url ?? (await serverUrl()) });
  await client.connect();
  try {
    return (await client.query(statement)).rows as T[];
  } finally {
    await client.end();
  }
}

/**
 * A session of its own that runs `statement` (e.g. `BEGIN; LOCK TABLE …`)
 * and holds what it took until released.
 */
export async function holdSession(url: string, statement: string) {
  const client = new Client({ connectionString: url });
  await client.connect();
  await client.query(statement);
  return { release: () => client.end() };
}

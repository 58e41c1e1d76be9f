import { randomBytes } from "node:crypto";
import { Client } from "pg";
import { inject } from "vitest";

/**
 * A new, empty database on the run's PostgreSQL server (global setup), named
 * `<prefix>_<random>`; returns its URL. Databases are dropped with the server
 * at the end of the run.
 */
export async function freshDatabase(prefix: string): Promise<string> {
  const name = `${prefix}_${randomBytes(4).toString("hex")}`;
  await sql(`CREATE DATABASE "${name}"`);
  const url = new URL(inject("postgresUrl"));
  url.pathname = `/${name}`;
  return url.toString();
}

/** Runs one statement as the superuser (on `url`'s database, default the server's own). */
export async function sql<T = Record<string, unknown>>(
  statement: string,
  url = inject("postgresUrl"),
): Promise<T[]> {
  const client = new Client({ connectionString: url });
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

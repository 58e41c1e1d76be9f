import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client } from "pg";
import { freshDataDir } from "./pglite-template";
import { freePort } from "./redis-server";

export interface AppServer {
  url: string;
  port: number;
  /** The embedded database's folder (QRL_DATA_DIR) when it runs without DATABASE_URL. */
  dataDir?: string;
  /** Everything the server printed (JSON log lines), for assertions on logs. */
  output(): string;
  /** The exit code once the process has exited, else null. */
  exitCode(): number | null;
  /** SIGTERM, then waits for the process to exit. */
  stop(): Promise<void>;
}

/** An instance this run started itself: it can also crash. */
export interface OwnAppServer extends AppServer {
  /** SIGKILL (a crash: nothing drains), then waits for the process to exit. */
  kill(): Promise<void>;
}

/** Like a real deployment, every instance of one test run shares the secret. */
export const SHARED_SECRET = randomBytes(32).toString("base64url");

export const TEST_USERS =
  "alice:wonderland:Alice Liddell,bob:builder:Bob Martin,carol:carol-pass:Carol";

/** Data folders this process made, removed when it exits. */
const madeDataDirs: string[] = [];
process.once("exit", () => {
  for (const dir of madeDataDirs) rmSync(dir, { recursive: true, force: true });
});

/**
 * A new data folder for the embedded database, with PGlite's files already
 * initialised (tests/support/pglite-template.ts); the app migrates it and
 * creates its demo users at start, as on a first start.
 */
export async function newDataDir(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), "qrl-data-"));
  madeDataDirs.push(dir);
  await freshDataDir(dir);
  return dir;
}

/**
 * A new, empty database on the test run's PostgreSQL server (vitest's global
 * setup sets QRL_TEST_POSTGRES_URL), or undefined when there is none (Playwright).
 */
export async function newTestDatabase(): Promise<string | undefined> {
  const server = process.env.QRL_TEST_POSTGRES_URL;
  if (!server) return undefined;
  const name = `app_${randomBytes(5).toString("hex")}`;
  const client = new Client({ connectionString: server });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
  const url = new URL(server);
  url.pathname = `/${name}`;
  return url.toString();
}

/** The database settings of a new instance: the caller's, else a new database of its own. */
async function databaseEnv(env: Record<string, string>): Promise<Record<string, string>> {
  if (env.DATABASE_URL || env.QRL_DATA_DIR) return {};
  const url = await newTestDatabase();
  return url ? { DATABASE_URL: url } : { QRL_DATA_DIR: await newDataDir() };
}

/**
 * Starts the production build (`next build` must have run) through server.mjs
 * on loopback, and waits until it answers. `env` adds to or overrides the
 * defaults (Redis URL, short TTLs, ...). Without DATABASE_URL or QRL_DATA_DIR
 * each instance gets a database of its own, created with the test users: a
 * new PostgreSQL database on the run's server under vitest (quick to start),
 * an embedded PGlite folder otherwise (pass `newDataDir()` as QRL_DATA_DIR to
 * ask for the embedded one; pass it again to restart on the same data).
 */
export async function startApp(
  env: Record<string, string> = {},
  o: { port?: number /** false: return once spawned, not once healthy. */; wait?: boolean } = {},
): Promise<OwnAppServer> {
  // A fixed port lets a restarted instance come back where a proxy expects it; a caller
  // that must know the port before start (e.g. for PUBLIC_URL) may also pass PORT.
  const port = o.port ?? (env.PORT ? Number(env.PORT) : await freePort());
  const database = await databaseEnv(env);
  const dataDir =
    env.DATABASE_URL || database.DATABASE_URL
      ? undefined
      : (env.QRL_DATA_DIR ?? database.QRL_DATA_DIR);
  let output = "";
  const child: ChildProcess = spawn(process.execPath, ["server.mjs"], {
    env: {
      PATH: process.env.PATH ?? "",
      ...(process.env.NEXT_DIST_DIR ? { NEXT_DIST_DIR: process.env.NEXT_DIST_DIR } : {}),
      NODE_ENV: "production",
      HOST: "127.0.0.1",
      PORT: String(port),
      NEXTAUTH_SECRET: SHARED_SECRET,
      NEXTAUTH_URL: `http://127.0.0.1:${port}`,
      QRL_DEMO_USERS: TEST_USERS,
      // Suites create many tickets from 127.0.0.1; the rate-limit suite sets its own limits.
      QRL_RATE_CREATE_PER_MIN: "10000",
      ...database,
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (chunk) => {
    output += chunk;
  });
  child.stderr?.on("data", (chunk) => {
    output += chunk;
  });
  const url = `http://127.0.0.1:${port}`;
  // Generous: a busy 2-core machine starts Next.js and PGlite slowly; a healthy start is seconds.
  const deadline = Date.now() + 60_000;
  for (; o.wait !== false; ) {
    if (child.exitCode !== null) throw new Error(`server exited (${child.exitCode}):\n${output}`);
    try {
      const res = await fetch(`${url}/api/health`);
      // Ready means the store answers too: the first request must not race the Redis connection.
      if (res.status === 200) break;
    } catch {}
    if (Date.now() > deadline) throw new Error(`server did not start:\n${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    port,
    ...(dataDir ? { dataDir } : {}),
    output: () => output,
    exitCode: () => child.exitCode,
    stop: () => signal(child, "SIGTERM"),
    kill: () => signal(child, "SIGKILL"),
  };
}

function signal(child: ChildProcess, name: NodeJS.Signals): Promise<void> {
  return new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once("exit", () => resolve());
    child.kill(name);
  });
}

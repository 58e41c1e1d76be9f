import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { AccountStore } from "@/lib/accounts/store";
import { openDatabase } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";
import type { DatabaseSettings } from "@/lib/env";
import { newDataDir, startApp } from "../support/app-server";
import { holdSession } from "../support/databases";
import { type PostgresServer, startPostgres } from "../support/postgres-server";

/** Signs in through the native-app API: the status and the error code, if any. */
async function signIn(url: string, username: string, password: string) {
  const res = await fetch(`${url}/api/mobile/sessions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username, password }),
  });
  const body = (await res.json()) as { error?: { code: string; message: string } };
  return { status: res.status, code: body.error?.code, message: body.error?.message };
}

/** Opens the app's embedded database while the app is stopped, as `npm run users` does. */
async function withStore<T>(dataDir: string, act: (store: AccountStore) => Promise<T>) {
  const settings: DatabaseSettings = { kind: "pglite", dataDir, timeoutMs: 5000 };
  const database = await openDatabase(settings);
  try {
    await migrate(database, settings);
    return await act(new AccountStore(database));
  } finally {
    await database.close();
  }
}

const redis = () => ({ REDIS_URL: inject("redisUrl") });

describe("accounts on the embedded database (PGlite)", () => {
  // startApp, not useStack: each test starts (or restarts, or is refused) on data it prepared first.
  it("says which database it uses, creates the demo users, and keeps accounts across a restart", {
    timeout: 120_000,
  }, async () => {
    const dataDir = await newDataDir();
    let app = await startApp({ ...redis(), QRL_DATA_DIR: dataDir });
    try {
      expect(app.output()).toContain(`Database: PGlite (embedded) in ${dataDir}`);
      expect(app.output()).toContain("demo users created: alice, bob, carol");
      expect((await signIn(app.url, "alice", "wonderland")).status).toBe(201);
      expect((await signIn(app.url, "alice", "wrong")).code).toBe("invalid_credentials");
    } finally {
      await app.stop();
    }
    await withStore(dataDir, (store) =>
      store.create({ username: "dave", password: "dave-pass-1", displayName: "Dave" }),
    );
    app = await startApp({ ...redis(), QRL_DATA_DIR: dataDir });
    try {
      // Nothing seeded twice; the account made while it was down signs in.
      expect(app.output()).not.toContain("demo users created");
      expect((await signIn(app.url, "dave", "dave-pass-1")).status).toBe(201);
      expect((await signIn(app.url, "alice", "wonderland")).status).toBe(201);
    } finally {
      await app.stop();
    }
  });

  it("refuses a disabled account's sign-in in words, and only with the right password", async () => {
    const dataDir = await newDataDir();
    await withStore(dataDir, async (store) => {
      await store.create({ username: "erin", password: "erin-pass-1" });
      await store.setDisabled("erin", true);
    });
    const app = await startApp({ ...redis(), QRL_DATA_DIR: dataDir });
    try {
      expect(await signIn(app.url, "erin", "erin-pass-1")).toMatchObject({
        status: 403,
        code: "account_disabled",
        message: expect.stringMatching(/disabled/),
      });
      expect((await signIn(app.url, "erin", "wrong")).code).toBe("invalid_credentials");
    } finally {
      await app.stop();
    }
  });

  it("a second process on the same data folder refuses to start, in one line", async () => {
    const dataDir = await newDataDir();
    const app = await startApp({ ...redis(), QRL_DATA_DIR: dataDir });
    try {
      const message = await startApp({ ...redis(), QRL_DATA_DIR: dataDir }).then(
        async (other) => {
          await other.stop();
          throw new Error("the second server started");
        },
        (error: Error) => error.message,
      );
      expect(message).toMatch(/server exited \(1\)/);
      expect(message).toMatch(
        /Cannot open the database: The data folder .* is in use by process \d+: the embedded database serves one process/,
      );
      // The first still serves.
      expect((await signIn(app.url, "bob", "builder")).status).toBe(201);
    } finally {
      await app.stop();
    }
  });

  it("a production start with no account and no demo users says how to add the first", async () => {
    const app = await startApp({
      ...redis(),
      QRL_DATA_DIR: await newDataDir(),
      QRL_DEMO_USERS: "",
    });
    try {
      expect(app.output()).toContain("no account yet: add the first with `npm run users -- add");
      expect((await signIn(app.url, "alice", "wonderland")).code).toBe("invalid_credentials");
    } finally {
      await app.stop();
    }
  });

  it("several instances (Redis Cluster) without DATABASE_URL refuse to start, in one line", async () => {
    // The embedded database asked for (no DATABASE_URL): the check refuses before anything opens.
    const message = await startApp({
      REDIS_CLUSTER_NODES: "127.0.0.1:1,127.0.0.1:2",
      QRL_DATA_DIR: await newDataDir(),
    }).then(
      () => "started",
      (error: Error) => error.message,
    );
    const lines = message.split("\n").filter((l) => l.includes("Invalid environment variable"));
    expect(lines).toEqual([
      "Invalid environment variable DATABASE_URL: required with Redis Cluster or Sentinel (several instances share one database; the embedded one serves a single process)",
    ]);
  });
});

describe("accounts on PostgreSQL: the database down or stalled", () => {
  // startApp, not useStack: each test's app has a database it breaks (server stopped, table locked).
  let pg: PostgresServer;
  beforeAll(async () => {
    pg = await startPostgres();
  });
  afterAll(() => pg?.remove());

  it("answers 503 store_unavailable within the deadline, and recovers without a restart", async () => {
    const url = pg.url();
    const app = await startApp({ ...redis(), DATABASE_URL: url, DATABASE_TIMEOUT_MS: "500" });
    try {
      expect(app.output()).toContain(`Database: PostgreSQL at 127.0.0.1:${pg.port}/postgres`);
      expect((await signIn(app.url, "alice", "wonderland")).status).toBe(201);
      await pg.stop();
      const started = performance.now();
      expect(await signIn(app.url, "alice", "wonderland")).toMatchObject({
        status: 503,
        code: "store_unavailable",
      });
      expect(performance.now() - started).toBeLessThan(2000);
      await pg.start();
      expect((await signIn(app.url, "alice", "wonderland")).status).toBe(201);
    } finally {
      await app.stop();
    }
  });

  it("a stalled database (a table lock held) is a 503 in time, not a hang", async () => {
    const url = await freshDatabaseOn(pg, "stall");
    const app = await startApp({ ...redis(), DATABASE_URL: url, DATABASE_TIMEOUT_MS: "500" });
    // The route is loaded and the pool connected before the stall.
    expect((await signIn(app.url, "bob", "wrong")).code).toBe("invalid_credentials");
    const holder = await holdSession(url, "BEGIN; LOCK TABLE accounts IN ACCESS EXCLUSIVE MODE");
    try {
      const started = performance.now();
      expect(await signIn(app.url, "bob", "builder")).toMatchObject({
        status: 503,
        code: "store_unavailable",
      });
      expect(performance.now() - started).toBeLessThan(2000);
      await holder.release();
      expect((await signIn(app.url, "bob", "builder")).status).toBe(201);
    } finally {
      await holder.release().catch(() => {});
      await app.stop();
    }
  });
});

/** A new database on this suite's own server (freshDatabase uses the run's shared one). */
async function freshDatabaseOn(server: PostgresServer, name: string): Promise<string> {
  const { Client } = await import("pg");
  const client = new Client({ connectionString: server.url() });
  await client.connect();
  await client.query(`CREATE DATABASE "${name}"`);
  await client.end();
  return server.url(name);
}

import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { hash as argon2 } from "@node-rs/argon2";
import bcrypt from "bcryptjs";
import { build } from "esbuild";
import Redis from "ioredis";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { AccountStore } from "@/lib/accounts/store";
import { openDatabase } from "@/lib/db/client";
import { newDataDir, SHARED_SECRET, startApp, TEST_USERS } from "../support/app-server";
import { freshDatabase, sql } from "../support/databases";
import { signInNative } from "../support/http-client";

/**
 * The command's script, bundled once by esbuild (the transpiler `npm run users`'s tsx uses)
 * under node_modules/.cache, so that each of this file's ~26 runs does not transpile it
 * again (1.3 s a run with tsx, 0.4 s bundled). The first test runs `npm run users`'s own
 * command line (tsx) too.
 */
let bundled: string | undefined;
beforeAll(async () => {
  // Under node_modules, so that the bundle's packages resolve (a fresh install has no .cache yet).
  await mkdir(join("node_modules", ".cache"), { recursive: true });
  const dir = await mkdtemp(join("node_modules", ".cache", "users-command-"));
  bundled = resolve(dir, "users.mjs");
  await build({
    entryPoints: ["scripts/users.ts"],
    outdir: dir,
    bundle: true,
    // Its lazy imports stay lazy (the provider is loaded only by `clients`).
    splitting: true,
    outExtension: { ".js": ".mjs" },
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    conditions: ["react-server"],
    alias: { "@": resolve(".") },
    logLevel: "warning",
  });
  return () => rm(dir, { recursive: true, force: true });
});

/** Runs `npm run users -- …` (its script, without npm's banner) with the database settings given. */
function users(
  dbEnv: Record<string, string>,
  args: string[],
  stdin = "",
  o: { asNpmRunsIt?: boolean } = {},
) {
  const [command, ...scriptArgs] = o.asNpmRunsIt
    ? ["node_modules/.bin/tsx", "--conditions=react-server", "scripts/users.ts"]
    : [process.execPath, "--conditions=react-server", bundled ?? "(not bundled)"];
  const result = spawnSync(command as string, [...scriptArgs, ...args], {
    input: stdin,
    env: { PATH: process.env.PATH ?? "", NODE_ENV: "production", LOG_LEVEL: "silent", ...dbEnv },
    encoding: "utf8",
    timeout: 60_000,
  });
  return { status: result.status, out: result.stdout.trim(), err: result.stderr.trim() };
}

describe("npm run users (the admin command)", () => {
  it("adds, lists, disables, enables, resets a password and deletes, on PostgreSQL", {
    timeout: 180_000,
  }, async () => {
    const url = await freshDatabase("users_cmd");
    const db = { DATABASE_URL: url };
    const add = users(db, ["add", "Zoe", "--name", "Zoe Zebra"], "first-pass-1\n", {
      asNpmRunsIt: true,
    });
    expect(add).toMatchObject({
      status: 0,
      out: expect.stringMatching(/^added zoe \(Zoe Zebra\)/),
    });
    expect(users(db, ["add", "ZOE"], "other\n")).toMatchObject({
      status: 2,
      err: "The username zoe is taken",
    });
    // Without the server's Redis settings the sessions cannot be reached, and it says so.
    expect(users(db, ["disable", "zoe"]).out).toMatch(
      /^disabled zoe; sessions not signed out \(Invalid environment variable REDIS_URL: /,
    );
    expect(users(db, ["list"]).out).toMatch(/^zoe\tZoe Zebra\tdisabled\t/);
    expect(users(db, ["enable", "zoe"]).out).toBe("enabled zoe");
    expect(users(db, ["reset-password", "zoe"], "second-pass-2\n").out).toMatch(
      /^password reset for zoe; sessions not signed out/,
    );
    const database = await openDatabase({ kind: "postgres", url, poolMax: 2, timeoutMs: 5000 });
    try {
      const store = new AccountStore(database);
      expect(await store.verify("zoe", "first-pass-1")).toBeNull();
      expect(await store.verify("zoe", "second-pass-2")).toMatchObject({ disabled: false });
      expect(users(db, ["delete", "zoe"]).out).toMatch(/^deleted zoe; sessions not signed out/);
      expect(await store.find("zoe")).toBeNull();
    } finally {
      await database.close();
    }
    expect(users(db, ["disable", "zoe"])).toMatchObject({ status: 2, err: "no account zoe" });
    expect(users(db, ["list"]).out).toBe("no accounts");
    expect(users(db, ["add", "nopass"], "")).toMatchObject({ status: 2 });
    expect(users(db, ["frobnicate"]).err).toMatch(/^usage: npm run users -- add USERNAME/);
  });

  it("disabling an account signs its sessions out on the server at once; its sign-in is refused", {
    timeout: 180_000,
  }, async () => {
    const url = await freshDatabase("users_sessions");
    // An account of this test's own: the run's Redis is shared, and other suites sign bob in.
    // startApp, not useStack: the only test here with a server, on the database the command edits.
    const app = await startApp({
      REDIS_URL: inject("redisUrl"),
      DATABASE_URL: url,
      QRL_DEMO_USERS: `${TEST_USERS},dora:dora-pass-1:Dora`,
    });
    try {
      const phone = (await signInNative(app.url, "dora", "dora-pass-1")).client;
      const other = (await signInNative(app.url, "dora", "dora-pass-1")).client;
      expect((await phone.fetch("/api/sessions")).status).toBe(200);
      const serverEnv = {
        DATABASE_URL: url,
        REDIS_URL: inject("redisUrl"),
        NEXTAUTH_SECRET: SHARED_SECRET,
      };
      const disabled = users(serverEnv, ["disable", "dora"]);
      expect(disabled.err).toBe("");
      expect(disabled).toMatchObject({
        status: 0,
        out: "disabled dora; 2 sessions signed out",
      });
      expect((await phone.fetch("/api/sessions")).status).toBe(401);
      expect((await other.fetch("/api/sessions")).status).toBe(401);
      const again = await fetch(`${app.url}/api/mobile/sessions`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ username: "dora", password: "dora-pass-1" }),
      });
      expect(again.status).toBe(403);
      expect(users(serverEnv, ["enable", "dora"]).out).toBe("enabled dora");
      const back = (await signInNative(app.url, "dora", "dora-pass-1")).client;
      expect((await back.fetch("/api/sessions")).status).toBe(200);
      // Deleting with the server's settings: the session ends, and no Redis key of the account is left.
      const [row] = await sql<{ id: string }>(
        "SELECT id FROM accounts WHERE username = 'dora'",
        url,
      );
      const id = encodeURIComponent(row?.id ?? "");
      const redis = new Redis(inject("redisUrl"));
      try {
        expect((await redis.keys("*")).filter((k) => k.includes(id)).length).toBeGreaterThan(0);
        expect(users(serverEnv, ["delete", "dora"])).toMatchObject({
          status: 0,
          out: "deleted dora; 1 session signed out",
        });
        expect((await back.fetch("/api/sessions")).status).toBe(401);
        expect((await redis.keys("*")).filter((k) => k.includes(id))).toEqual([]);
      } finally {
        redis.disconnect();
      }
    } finally {
      await app.stop();
    }
  });

  it("with Redis down the account is still disabled, and the command says the sessions were not signed out", {
    timeout: 120_000,
  }, async () => {
    const url = await freshDatabase("users_redis_down");
    const db = { DATABASE_URL: url };
    expect(users(db, ["add", "kim"], "kim-pass-1\n").status).toBe(0);
    const down = { ...db, REDIS_URL: "redis://127.0.0.1:1", NEXTAUTH_SECRET: "x".repeat(40) };
    const result = users(down, ["disable", "kim"]);
    expect(result.status).toBe(1);
    expect(result.out).toBe(
      "disabled kim; sessions NOT signed out (Redis did not answer within 5 s): run the command again once Redis answers",
    );
    expect(users(db, ["list"]).out).toMatch(/^kim\tKim\tdisabled\t/);
  });

  describe.each([
    ["PostgreSQL", async () => ({ DATABASE_URL: await freshDatabase("users_import") })],
    ["the embedded database", async () => ({ QRL_DATA_DIR: await newDataDir() })],
  ])("import FILE.csv on %s", (_, makeDatabase) => {
    it("adds, skips and refuses line by line, never half an account", {
      timeout: 180_000,
    }, async () => {
      const db: Record<string, string> = await makeDatabase();
      expect(users(db, ["add", "olga"], "olga-pass-1\n").status).toBe(0);
      const bcryptHash = await bcrypt.hash("bea-pass-1", 10);
      // An argon2id hash from another system, at other parameters (upgraded at the next sign-in).
      const argonHash = await argon2("cem-pass-1", {
        memoryCost: 4096,
        timeCost: 3,
        parallelism: 1,
      });
      const csv = [
        "username,display_name,password_hash,password",
        "Ada,Ada Lovelace,,ada-pass-1",
        `bea,"Bea, the Second",${bcryptHash},`,
        // A PHC string has commas (m=…,t=…,p=…): quoted, as CSV writers do.
        `cem,,"${argonHash}",`,
        "OLGA,Olga Again,,other-pass-1",
        "dee,Dee,,",
        "eve,Eve,$argon2id$nonsense,",
        "fay,Fay,,fay-pass-1,extra",
        "g h,G H,,gh-pass-1",
        `hal,Hal,${bcryptHash},hal-pass-1`,
        "ada,Ada Twice,,ada-pass-2",
        "",
      ].join("\r\n");
      const file = join(tmpdir(), `import-${Date.now()}-${Math.random()}.csv`);
      writeFileSync(file, csv);
      const result = users(db, ["import", file]);
      expect(result.err).toBe("");
      expect(result.out.split("\n")).toEqual([
        "line 2: added ada (Ada Lovelace)",
        "line 3: added bea (Bea, the Second)",
        "line 4: added cem (Cem)",
        "line 5: skipped OLGA (exists)",
        "line 6: refused (dee: no password or password_hash)",
        "line 7: refused (eve: the password hash is neither argon2 nor bcrypt)",
        "line 8: refused (expected 4 fields, found 5)",
        'line 9: refused ("g h" is not a valid username: 1–64 letters, digits and . _ @ + -)',
        "line 10: refused (hal: both a password and a password_hash)",
        "line 11: skipped ada (exists)",
        "3 added, 2 skipped, 5 refused",
      ]);
      expect(result.status).toBe(1);
      expect(
        users(db, ["list"])
          .out.split("\n")
          .map((l) => l.split("\t")[0]),
      ).toEqual(["ada", "bea", "cem", "olga"]);
      const settings = db.DATABASE_URL
        ? ({ kind: "postgres", url: db.DATABASE_URL, poolMax: 2, timeoutMs: 5000 } as const)
        : ({ kind: "pglite", dataDir: db.QRL_DATA_DIR ?? "", timeoutMs: 5000 } as const);
      const database = await openDatabase(settings);
      try {
        const store = new AccountStore(database);
        expect(await store.verify("ada", "ada-pass-1")).toMatchObject({
          displayName: "Ada Lovelace",
        });
        expect(await store.verify("bea", "bea-pass-1")).toMatchObject({
          displayName: "Bea, the Second",
        });
        expect(await store.verify("cem", "cem-pass-1")).toMatchObject({ username: "cem" });
        expect(await store.verify("olga", "olga-pass-1")).not.toBeNull();
      } finally {
        await database.close();
      }
      // A file without a header is refused as a whole, in words; nothing is added.
      writeFileSync(file, "zed,Zed,,zed-pass-1\n");
      expect(users(db, ["import", file])).toMatchObject({
        status: 2,
        err: "line 1 must be a header naming the columns: username, and display_name, password_hash or password (found: zed,Zed,,zed-pass-1)",
      });
      expect(users(db, ["import", "/nonexistent.csv"]).err).toMatch(
        /^cannot read \/nonexistent.csv/,
      );
    });
  });

  it("works on the embedded database's folder, and says so when a server holds it", {
    timeout: 120_000,
  }, async () => {
    const dir = await newDataDir();
    const db = { QRL_DATA_DIR: dir };
    expect(users(db, ["add", "yan"], "yan-pass-1\n").status).toBe(0);
    expect(users(db, ["list"]).out).toMatch(/^yan\tYan\tactive\t/);
    // A running server holds the folder: the command is refused in words, nothing opened.
    const held = await openDatabase({ kind: "pglite", dataDir: dir, timeoutMs: 5000 });
    try {
      const refused = users(db, ["list"]);
      expect(refused.status).toBe(1);
      expect(refused.err).toMatch(
        /is in use by process \d+: the embedded database serves one process/,
      );
    } finally {
      await held.close();
    }
  });
});

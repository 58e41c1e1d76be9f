import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { AccountStore } from "@/lib/accounts/store";
import { openDatabase } from "@/lib/db/client";
import { newDataDir } from "../support/app-server";
import { freshDatabase } from "../support/databases";

/** Runs `npm run users -- …` (its script, without npm's banner) with the database settings given. */
function users(dbEnv: Record<string, string>, args: string[], stdin = "") {
  const result = spawnSync(
    "node_modules/.bin/tsx",
    ["--conditions=react-server", "scripts/users.ts", ...args],
    {
      input: stdin,
      env: { PATH: process.env.PATH ?? "", NODE_ENV: "production", LOG_LEVEL: "silent", ...dbEnv },
      encoding: "utf8",
      timeout: 60_000,
    },
  );
  return { status: result.status, out: result.stdout.trim(), err: result.stderr.trim() };
}

describe("npm run users (the admin command)", () => {
  it("adds, lists, disables, enables, resets a password and deletes, on PostgreSQL", {
    timeout: 180_000,
  }, async () => {
    const url = await freshDatabase("users_cmd");
    const db = { DATABASE_URL: url };
    const add = users(db, ["add", "Zoe", "--name", "Zoe Zebra"], "first-pass-1\n");
    expect(add).toMatchObject({
      status: 0,
      out: expect.stringMatching(/^added zoe \(Zoe Zebra\)/),
    });
    expect(users(db, ["add", "ZOE"], "other\n")).toMatchObject({
      status: 2,
      err: "The username zoe is taken",
    });
    expect(users(db, ["disable", "zoe"]).out).toBe("disabled zoe");
    expect(users(db, ["list"]).out).toMatch(/^zoe\tZoe Zebra\tdisabled\t/);
    expect(users(db, ["enable", "zoe"]).out).toBe("enabled zoe");
    expect(users(db, ["reset-password", "zoe"], "second-pass-2\n").out).toBe(
      "password reset for zoe",
    );
    const database = await openDatabase({ kind: "postgres", url, poolMax: 2, timeoutMs: 5000 });
    try {
      const store = new AccountStore(database);
      expect(await store.verify("zoe", "first-pass-1")).toBeNull();
      expect(await store.verify("zoe", "second-pass-2")).toMatchObject({ disabled: false });
      expect(users(db, ["delete", "zoe"]).out).toBe("deleted zoe");
      expect(await store.find("zoe")).toBeNull();
    } finally {
      await database.close();
    }
    expect(users(db, ["disable", "zoe"])).toMatchObject({ status: 2, err: "no account zoe" });
    expect(users(db, ["list"]).out).toBe("no accounts");
    expect(users(db, ["add", "nopass"], "")).toMatchObject({ status: 2 });
    expect(users(db, ["frobnicate"]).err).toMatch(/^usage: npm run users -- add USERNAME/);
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

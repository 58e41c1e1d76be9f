import { hash } from "@node-rs/argon2";
import bcrypt from "bcryptjs";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DatabasePasskeyRecords } from "@/lib/accounts/passkey-records";
import { seedDemoUsers } from "@/lib/accounts/seed";
import { AccountStore } from "@/lib/accounts/store";
import { type Database, openDatabase } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";
import { accounts } from "@/lib/db/schema";
import type { DatabaseSettings } from "@/lib/env";
import type { StoredPasskey } from "@/lib/passkeys/passkeys";
import { KvPasskeyRecords } from "@/lib/passkeys/records";
import { fieldsDigest } from "@/lib/store/kv";
import { MemoryKv } from "@/lib/store/memory-kv";

/** A fresh, empty database for one suite; the same settings open it again. */
export interface Backend {
  settings(): Promise<DatabaseSettings>;
  cleanup(): Promise<void>;
}

/** The account store's contract: the same on PGlite (embedded) and PostgreSQL. */
export function accountStoreContract(name: string, backend: Backend) {
  describe(`account store (${name})`, () => {
    let settings: DatabaseSettings;
    let database: Database;
    let store: AccountStore;
    const storedHash = async (username: string) =>
      (
        await database.db
          .select({ h: accounts.passwordHash })
          .from(accounts)
          .where(eq(accounts.username, username))
      )[0]?.h ?? "";

    beforeAll(async () => {
      settings = await backend.settings();
      database = await openDatabase(settings);
      await migrate(database, settings);
      store = new AccountStore(database);
    });
    afterAll(async () => {
      await database?.close();
      await backend.cleanup();
    });

    it("migrates an empty database, and migrating again changes nothing", async () => {
      expect(await store.count()).toBe(0);
      await migrate(database, settings);
      expect(await store.list()).toEqual([]);
    });

    it("creates an account under the one form of its username, unique in every spelling", async () => {
      const a = await store.create({
        username: " Alice",
        displayName: "Alice Liddell",
        password: "wonderland",
      });
      expect(a).toMatchObject({ username: "alice", displayName: "Alice Liddell", disabled: false });
      expect(await store.find("ＡＬＩＣＥ")).toMatchObject({ id: a.id });
      expect(await store.get(a.id)).toMatchObject({ username: "alice" });
      await expect(store.create({ username: "ALICE", password: "other" })).rejects.toMatchObject({
        name: "AccountError",
        reason: "exists",
      });
      await expect(store.create({ username: "al ice", password: "x" })).rejects.toThrow(
        /not a valid username/,
      );
    });

    it("stores argon2id at OWASP's parameters, read back from the PHC string", async () => {
      const stored = await storedHash("alice");
      expect(stored).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
      expect(stored).not.toContain("wonderland");
    });

    it("verifies the right password only; an unknown username is refused alike", async () => {
      expect(await store.verify("Alice ", "wonderland")).toMatchObject({ username: "alice" });
      expect(await store.verify("alice", "Wonderland")).toBeNull();
      expect(await store.verify("mallory", "wonderland")).toBeNull();
      // Names no account can have are a miss, not a database error (PostgreSQL refuses a NUL byte).
      expect(await store.verify("\u202e\u0000alice", "\ud83d")).toBeNull();
      expect(await store.find("al\u0000ice")).toBeNull();
    });

    it("an unknown username costs a hash like a known one", async () => {
      const time = async (username: string) => {
        const started = performance.now();
        await store.verify(username, "not the password");
        return performance.now() - started;
      };
      await time("alice");
      const known: number[] = [];
      const unknown: number[] = [];
      for (let i = 0; i < 5; i++) {
        known.push(await time("alice"));
        unknown.push(await time(`nobody-${i}`));
      }
      const median = (xs: number[]) => xs.sort((x, y) => x - y)[2] ?? 0;
      // Without the dummy hash an unknown username answers after one query (~1 ms vs ~50 ms).
      expect(median(unknown)).toBeGreaterThan(median(known) * 0.5);
    });

    it("disables and enables; a disabled account's right password says so", async () => {
      await store.create({ username: "bob", password: "builder" });
      expect(await store.setDisabled("BOB", true)).toBe(true);
      expect(await store.verify("bob", "builder")).toMatchObject({ disabled: true });
      expect(await store.verify("bob", "wrong")).toBeNull();
      expect(await store.setDisabled("bob", false)).toBe(true);
      expect(await store.verify("bob", "builder")).toMatchObject({ disabled: false });
      expect(await store.setDisabled("nobody", true)).toBe(false);
    });

    it("resets a password and deletes an account", async () => {
      expect(await store.setPassword("bob", "new-builder")).toBe(true);
      expect(await store.verify("bob", "builder")).toBeNull();
      expect(await store.verify("bob", "new-builder")).not.toBeNull();
      expect(await store.delete("bob")).toBe(true);
      expect(await store.find("bob")).toBeNull();
      expect(await store.delete("bob")).toBe(false);
    });

    it("accepts an imported bcrypt hash and upgrades it to argon2id at the next sign-in", async () => {
      const imported = bcrypt.hashSync("hunter2", 4);
      await store.create({ username: "carol", passwordHash: imported });
      expect(await storedHash("carol")).toBe(imported);
      expect(await store.verify("carol", "wrong")).toBeNull();
      expect(await storedHash("carol")).toBe(imported);
      expect(await store.verify("carol", "hunter2")).toMatchObject({ username: "carol" });
      expect(await storedHash("carol")).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
      expect(await store.verify("carol", "hunter2")).not.toBeNull();
    });

    it("re-hashes an argon2 hash made with other parameters at sign-in", async () => {
      const weak = await hash("pa55", { memoryCost: 4096, timeCost: 1, parallelism: 1 });
      await store.create({ username: "dave", passwordHash: weak });
      expect(await store.verify("dave", "pa55")).not.toBeNull();
      expect(await storedHash("dave")).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
      await expect(store.create({ username: "eve", passwordHash: "md5$abc" })).rejects.toThrow(
        /neither argon2 nor bcrypt/,
      );
    });

    it("seeds the demo users once, with their demo ids", async () => {
      const spec = "zed:zed-pass:Zed Zebra,yan:yan-pass";
      expect(await seedDemoUsers(store, spec)).toEqual(["zed", "yan"]);
      expect(await seedDemoUsers(store, spec)).toEqual([]);
      expect(await store.verify("zed", "zed-pass")).toMatchObject({
        id: "demo-zed",
        displayName: "Zed Zebra",
      });
      expect(await store.find("yan")).toMatchObject({ id: "demo-yan", displayName: "Yan" });
    });

    const passkey = (id: string, createdAt: number): StoredPasskey => ({
      id,
      publicKey: Buffer.from(`key-${id}`).toString("base64url"),
      counter: 0,
      transports: ["internal", "hybrid"],
      name: `Phone ${id}`,
      createdAt,
    });

    it("keeps passkeys and the passkey setting: add, update the counter, remove, never another account's", async () => {
      const records = new DatabasePasskeyRecords(async () => database);
      const owner = await store.create({ username: "pia", password: "pia-pass-1" });
      const other = await store.create({ username: "quinn", password: "quinn-pass-1" });
      expect(await records.load(owner.id)).toEqual({ passkeys: [], setting: false });
      await records.save(owner.id, passkey("cred-b", 2_000));
      await records.save(owner.id, passkey("cred-a", 1_000));
      await records.save(owner.id, { ...passkey("cred-a", 1_000), counter: 7, lastUsedAt: 5_000 });
      const loaded = await records.load(owner.id);
      expect(loaded.passkeys.map((p) => p.id)).toEqual(["cred-a", "cred-b"]);
      expect(loaded.passkeys[0]).toEqual({
        ...passkey("cred-a", 1_000),
        counter: 7,
        lastUsedAt: 5_000,
      });
      // A credential id is unique across accounts: another account cannot take it over.
      await expect(records.save(other.id, passkey("cred-a", 3_000))).rejects.toMatchObject({
        code: "passkey_failed",
      });
      expect((await records.load(other.id)).passkeys).toEqual([]);
      await records.setRequired(owner.id, true);
      expect((await records.load(owner.id)).setting).toBe(true);
      await records.remove(other.id, "cred-b");
      await records.remove(owner.id, "cred-b");
      expect((await records.load(owner.id)).passkeys.map((p) => p.id)).toEqual(["cred-a"]);
      await records.setRequired(owner.id, false);
      expect((await records.load(owner.id)).setting).toBe(false);
    });

    it("deleting an account deletes its passkeys and settings", async () => {
      const records = new DatabasePasskeyRecords(async () => database);
      const account = await store.create({ username: "rue", password: "rue-pass-1" });
      await records.save(account.id, passkey("cred-rue", 1_000));
      await records.setRequired(account.id, true);
      expect(await store.delete("rue")).toBe(true);
      expect(await records.load(account.id)).toEqual({ passkeys: [], setting: false });
    });

    it("renames, sets a password and removes an account by id (removing says which passkeys went with it)", async () => {
      const records = new DatabasePasskeyRecords(async () => database);
      const account = await store.create({ username: "sam", password: "sam-pass-1" });
      expect(await store.rename(account.id, "  Samuel S  ")).toBe(true);
      expect(await store.get(account.id)).toMatchObject({ displayName: "Samuel S" });
      await expect(store.rename(account.id, "   ")).rejects.toMatchObject({ name: "AccountError" });
      await expect(store.rename(account.id, "x".repeat(101))).rejects.toMatchObject({
        name: "AccountError",
      });
      await expect(store.rename(account.id, "tab\there")).rejects.toMatchObject({
        name: "AccountError",
      });
      expect(await store.rename("no-such-id", "Nobody")).toBe(false);
      expect(await store.setPasswordOf(account.id, "sam-pass-2")).toBe(true);
      expect(await store.verify("sam", "sam-pass-1")).toBeNull();
      expect(await store.verify("sam", "sam-pass-2")).toMatchObject({ id: account.id });
      expect(await store.setPasswordOf("no-such-id", "whatever-1")).toBe(false);
      await records.save(account.id, passkey("cred-sam-1", 1_000));
      await records.save(account.id, passkey("cred-sam-2", 2_000));
      await records.setRequired(account.id, true);
      const removed = await store.remove(account.id);
      expect(removed?.passkeyIds.sort()).toEqual(["cred-sam-1", "cred-sam-2"]);
      expect(await store.get(account.id)).toBeNull();
      expect(await records.load(account.id)).toEqual({ passkeys: [], setting: false });
      expect(await store.remove(account.id)).toBeNull();
    });

    it("carries an account's passkeys and setting over from Redis once (upgrade), never dropping them", async () => {
      const kv = new MemoryKv();
      try {
        const legacy = new KvPasskeyRecords(kv);
        const account = await store.create({ username: "sam", password: "sam-pass-1" });
        expect(await legacy.add(account.id, passkey("cred-sam", 1_000), fieldsDigest([]))).toBe(
          "written",
        );
        await legacy.setRequired(account.id, true);
        const records = new DatabasePasskeyRecords(async () => database, legacy);
        const first = await records.load(account.id);
        expect(first.setting).toBe(true);
        expect(first.passkeys.map((p) => p.id)).toEqual(["cred-sam"]);
        // Now in the database: Redis emptied (FLUSHALL), the account still requires its passkey.
        await legacy.remove(account.id, "cred-sam");
        await legacy.setRequired(account.id, false);
        expect(await records.load(account.id)).toEqual(first);
        expect(await new DatabasePasskeyRecords(async () => database).load(account.id)).toEqual(
          first,
        );
      } finally {
        kv.close();
      }
    });

    it("reads Redis for an account's old passkeys once: an account with none is marked, and a setting made meanwhile stands", async () => {
      const kv = new MemoryKv();
      try {
        const legacy = new KvPasskeyRecords(kv);
        const records = new DatabasePasskeyRecords(async () => database, legacy);
        const account = await store.create({ username: "tia", password: "tia-pass-1" });
        expect(await records.load(account.id)).toEqual({ passkeys: [], setting: false });
        // Whatever appears in the old hash later is not read again (one Redis read per account,
        // not one per approval).
        await legacy.setRequired(account.id, true);
        expect(await records.load(account.id)).toEqual({ passkeys: [], setting: false });
        // The marker never overrides a setting: turned on in the database, it stays on.
        await records.setRequired(account.id, true);
        expect((await records.load(account.id)).setting).toBe(true);
      } finally {
        kv.close();
      }
    });

    it("keeps every account across a restart", async () => {
      const before = (await store.list()).map((a) => a.username);
      await database.close();
      database = await openDatabase(settings);
      await migrate(database, settings);
      store = new AccountStore(database);
      expect((await store.list()).map((a) => a.username)).toEqual(before);
      expect(await store.verify("alice", "wonderland")).not.toBeNull();
    });
  });
}

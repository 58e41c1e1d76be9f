import "server-only";
import { and, asc, eq } from "drizzle-orm";
import type { Database } from "../db/client";
import { accountSettings, accounts, passkeys } from "../db/schema";
import { Refusal } from "../errors";
import type { StoredPasskey } from "../passkeys/passkeys";
import type { PasskeyRecords } from "../passkeys/records";
import { fieldsDigest } from "../store/kv";

/**
 * Passkeys and the "approvals need a passkey" setting in the database: losing
 * Redis loses neither, and a passkey-required account still requires one.
 * The account must exist in `accounts` (its rows go with it when deleted).
 *
 * `legacy` is where they lived before (the Redis hash): an account with
 * nothing here yet is read there once and carried over, so upgrading never
 * silently drops a passkey or turns the requirement off.
 */
export class DatabasePasskeyRecords implements PasskeyRecords {
  constructor(
    private readonly database: () => Promise<Database>,
    private readonly legacy?: PasskeyRecords,
  ) {}

  /**
   * The account's passkeys and its setting in ONE query (every approval asks,
   * and the embedded database answers one query at a time): the account's row,
   * its settings row if any, and one row per passkey.
   */
  async load(userId: string) {
    const db = await this.database();
    const joined = await db.run((q) =>
      q
        .select({
          settings: accountSettings.accountId,
          required: accountSettings.passkeyRequired,
          passkey: passkeys,
        })
        .from(accounts)
        .leftJoin(accountSettings, eq(accountSettings.accountId, accounts.id))
        .leftJoin(passkeys, eq(passkeys.accountId, accounts.id))
        .where(eq(accounts.id, userId))
        .orderBy(asc(passkeys.createdAt), asc(passkeys.id)),
    );
    const rows = joined.flatMap((r) => (r.passkey ? [r.passkey] : []));
    // The settings row's columns repeat on every passkey's row (null when there is none).
    const hasSettings = joined[0]?.settings != null;
    if (rows.length === 0 && !hasSettings && this.legacy) {
      const old = await this.legacy.load(userId);
      if (old.passkeys.length > 0 || old.setting) {
        for (const p of old.passkeys) await this.save(userId, p);
        await this.setRequired(userId, old.setting);
        return old;
      }
      // Nothing to carry over: a settings row with the defaults says so, so the next load (one
      // per approval) skips Redis. Only if none exists yet: a setting made meanwhile stands.
      await db
        .run((q) =>
          q
            .insert(accountSettings)
            .values({ accountId: userId, passkeyRequired: false, updatedAt: new Date() })
            .onConflictDoNothing({ target: accountSettings.accountId }),
        )
        .catch(() => {});
    }
    return {
      passkeys: rows.map(toStored),
      setting: joined[0]?.required ?? false,
    };
  }

  /**
   * One transaction: the account's row locked (two registrations of one
   * account take turns), its passkey ids compared with the digest the
   * registration began with, then the insert, which the credential id's
   * primary key refuses when any account has it.
   */
  async add(userId: string, p: StoredPasskey, expectedDigest: string) {
    const db = await this.database();
    return db.run((q) =>
      q.transaction(async (tx) => {
        await tx
          .select({ id: accounts.id })
          .from(accounts)
          .where(eq(accounts.id, userId))
          .for("update");
        const ids = await tx
          .select({ id: passkeys.id })
          .from(passkeys)
          .where(eq(passkeys.accountId, userId));
        if (fieldsDigest(ids.map((r) => r.id)) !== expectedDigest) return "changed" as const;
        const written = await tx
          .insert(passkeys)
          .values(rowOf(userId, p))
          .onConflictDoNothing({ target: passkeys.id })
          .returning({ id: passkeys.id });
        return written.length > 0 ? ("written" as const) : ("exists" as const);
      }),
    );
  }

  async update(userId: string, p: StoredPasskey) {
    const db = await this.database();
    const updated = await db.run((q) =>
      q
        .update(passkeys)
        .set({ counter: p.counter, lastUsedAt: p.lastUsedAt ? new Date(p.lastUsedAt) : null })
        .where(and(eq(passkeys.accountId, userId), eq(passkeys.id, p.id)))
        .returning({ id: passkeys.id }),
    );
    return updated.length > 0;
  }

  /** Writes a passkey carried over from the Redis hash (or a test's fixture), as it was. */
  async save(userId: string, p: StoredPasskey) {
    const db = await this.database();
    const values = rowOf(userId, p);
    const saved = await db.run((q) =>
      q
        .insert(passkeys)
        .values(values)
        .onConflictDoUpdate({
          target: passkeys.id,
          set: { counter: values.counter, name: values.name, lastUsedAt: values.lastUsedAt },
          // A credential id is one account's: another account's row is never touched.
          setWhere: eq(passkeys.accountId, userId),
        })
        .returning({ id: passkeys.id }),
    );
    if (saved.length === 0) {
      throw new Refusal("passkey_failed", "This passkey is registered to another account.");
    }
  }

  async remove(userId: string, passkeyId: string) {
    const db = await this.database();
    const removed = await db.run((q) =>
      q
        .delete(passkeys)
        .where(and(eq(passkeys.accountId, userId), eq(passkeys.id, passkeyId)))
        .returning({ id: passkeys.id }),
    );
    return removed.length > 0;
  }

  async setRequired(userId: string, on: boolean) {
    const db = await this.database();
    const updatedAt = new Date();
    await db.run((q) =>
      q
        .insert(accountSettings)
        .values({ accountId: userId, passkeyRequired: on, updatedAt })
        .onConflictDoUpdate({
          target: accountSettings.accountId,
          set: { passkeyRequired: on, updatedAt },
        }),
    );
  }
}

function rowOf(userId: string, p: StoredPasskey) {
  return {
    id: p.id,
    accountId: userId,
    publicKey: p.publicKey,
    counter: p.counter,
    transports: p.transports ?? [],
    name: p.name,
    createdAt: new Date(p.createdAt),
    lastUsedAt: p.lastUsedAt ? new Date(p.lastUsedAt) : null,
  };
}

function toStored(row: typeof passkeys.$inferSelect): StoredPasskey {
  return {
    id: row.id,
    publicKey: row.publicKey,
    counter: row.counter,
    ...(row.transports.length > 0 ? { transports: row.transports } : {}),
    name: row.name,
    createdAt: row.createdAt.getTime(),
    ...(row.lastUsedAt ? { lastUsedAt: row.lastUsedAt.getTime() } : {}),
  };
}

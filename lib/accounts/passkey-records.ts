import "server-only";
import { and, asc, eq } from "drizzle-orm";
import type { Database } from "../db/client";
import { accountSettings, passkeys } from "../db/schema";
import { ApiError } from "../http/errors";
import type { StoredPasskey } from "../passkeys/passkeys";
import type { PasskeyRecords } from "../passkeys/records";

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

  async load(userId: string) {
    const db = await this.database();
    const [rows, settings] = await db.run((q) =>
      Promise.all([
        q
          .select()
          .from(passkeys)
          .where(eq(passkeys.accountId, userId))
          .orderBy(asc(passkeys.createdAt), asc(passkeys.id)),
        q.select().from(accountSettings).where(eq(accountSettings.accountId, userId)).limit(1),
      ]),
    );
    if (rows.length === 0 && settings.length === 0 && this.legacy) {
      const old = await this.legacy.load(userId);
      if (old.passkeys.length > 0 || old.setting) {
        for (const p of old.passkeys) await this.save(userId, p);
        await this.setRequired(userId, old.setting);
        return old;
      }
    }
    return {
      passkeys: rows.map(toStored),
      setting: settings[0]?.passkeyRequired ?? false,
    };
  }

  async save(userId: string, p: StoredPasskey) {
    const db = await this.database();
    const values = {
      id: p.id,
      accountId: userId,
      publicKey: p.publicKey,
      counter: p.counter,
      transports: p.transports ?? [],
      name: p.name,
      createdAt: new Date(p.createdAt),
      lastUsedAt: p.lastUsedAt ? new Date(p.lastUsedAt) : null,
    };
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
      throw new ApiError("passkey_failed", "This passkey is registered to another account.");
    }
  }

  async remove(userId: string, passkeyId: string) {
    const db = await this.database();
    await db.run((q) =>
      q.delete(passkeys).where(and(eq(passkeys.accountId, userId), eq(passkeys.id, passkeyId))),
    );
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

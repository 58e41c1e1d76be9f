import "server-only";
import { and, eq, gt } from "drizzle-orm";
import type { Adapter, AdapterPayload } from "oidc-provider";
import { accounts } from "../accounts";
import type { Db } from "../db/client";
import { oidcRecords } from "../db/schema";
import { store } from "../store";
import { keys } from "../store/keys";

/**
 * oidc-provider's storage, split as the rest of the app is: what must
 * survive a Redis loss (grants, refresh tokens) in the database; the
 * short-lived artefacts (sessions, interactions, codes, device codes,
 * access tokens, replay marks) in the store (Redis, or the embedded memory
 * store), each expiring with its record.
 */
export const DURABLE_MODELS = new Set(["Grant", "RefreshToken"]);

export function adapterFor(model: string): Adapter {
  return DURABLE_MODELS.has(model) ? new DatabaseAdapter(model) : new StoreAdapter(model);
}

const seconds = (s: number) => Math.max(1, Math.round(s)) * 1000;

/** Short-lived records: one JSON string per record; its uid / user code / grant indexes beside it. */
export class StoreAdapter implements Adapter {
  constructor(private readonly model: string) {}

  async upsert(id: string, payload: AdapterPayload, expiresIn = 0): Promise<void> {
    const kv = store();
    const ttl = seconds(expiresIn);
    await kv.setString(keys.oidc(this.model, id), JSON.stringify(payload), ttl);
    if (payload.uid) await kv.setString(keys.oidcLookup(this.model, "uid", payload.uid), id, ttl);
    if (payload.userCode) {
      await kv.setString(keys.oidcLookup(this.model, "userCode", payload.userCode), id, ttl);
    }
    if (payload.grantId) {
      // The index lives as long as the longest record under it.
      const grant = keys.oidcGrant(payload.grantId);
      const left = await kv.pttl(grant);
      await kv.setField(grant, keys.oidc(this.model, id), "1", Math.max(ttl, left));
    }
  }

  async find(id: string): Promise<AdapterPayload | undefined> {
    const kv = store();
    const raw = await kv.getString(keys.oidc(this.model, id));
    if (!raw) return undefined;
    const payload = JSON.parse(raw) as AdapterPayload;
    const consumed = await kv.getString(keys.oidcConsumed(this.model, id));
    return consumed ? { ...payload, consumed: Number(consumed) } : payload;
  }

  async findByUid(uid: string) {
    const id = await store().getString(keys.oidcLookup(this.model, "uid", uid));
    return id ? this.find(id) : undefined;
  }

  async findByUserCode(userCode: string) {
    const id = await store().getString(keys.oidcLookup(this.model, "userCode", userCode));
    return id ? this.find(id) : undefined;
  }

  /** One atomic SET NX: of two redemptions of one code at once, exactly one consumes it. */
  async consume(id: string): Promise<void> {
    const kv = store();
    const left = await kv.pttl(keys.oidc(this.model, id));
    if (left <= 0) return;
    const now = String(Math.floor(Date.now() / 1000));
    await kv.setString(keys.oidcConsumed(this.model, id), now, left, true);
  }

  async destroy(id: string): Promise<void> {
    await store().del(keys.oidc(this.model, id));
  }

  async revokeByGrantId(grantId: string): Promise<void> {
    const kv = store();
    const grant = keys.oidcGrant(grantId);
    const issued = await kv.getHash(grant);
    for (const key of Object.keys(issued ?? {})) await kv.del(key);
    await kv.del(grant);
  }
}

/**
 * An account disabled or deleted: every grant it gave an app ends, with the
 * refresh tokens (database) and the access tokens, codes and device codes
 * (store, unless `withStore` is false: a command without the server's store)
 * issued under them. Returns how many grants ended.
 */
export async function revokeAccountRecords(
  accountId: string,
  { withStore = true } = {},
): Promise<number> {
  const database = (await accounts()).database;
  const rows = await database.run((db) =>
    db
      .selectDistinct({ grantId: oidcRecords.grantId })
      .from(oidcRecords)
      .where(eq(oidcRecords.accountId, accountId)),
  );
  const grantIds = rows.flatMap((r) => (r.grantId ? [r.grantId] : []));
  const issued = new StoreAdapter("Grant");
  if (withStore) for (const grantId of grantIds) await issued.revokeByGrantId(grantId);
  await database.run((db) => db.delete(oidcRecords).where(eq(oidcRecords.accountId, accountId)));
  return grantIds.length;
}

/** Grants and refresh tokens: rows of oidc_records, gone with their account. */
export class DatabaseAdapter implements Adapter {
  constructor(private readonly model: string) {}

  private async run<T>(call: (db: Db) => Promise<T>): Promise<T> {
    return (await accounts()).database.run(call);
  }

  async upsert(id: string, payload: AdapterPayload, expiresIn = 0): Promise<void> {
    const row = {
      model: this.model,
      id,
      accountId: payload.accountId ?? null,
      grantId: payload.grantId ?? (this.model === "Grant" ? id : null),
      payload: payload as Record<string, unknown>,
      expiresAt: new Date(Date.now() + seconds(expiresIn)),
    };
    await this.run((db) =>
      db
        .insert(oidcRecords)
        .values(row)
        .onConflictDoUpdate({
          target: [oidcRecords.model, oidcRecords.id],
          set: { payload: row.payload, expiresAt: row.expiresAt, grantId: row.grantId },
        }),
    );
  }

  async find(id: string): Promise<AdapterPayload | undefined> {
    const [row] = await this.run((db) =>
      db
        .select()
        .from(oidcRecords)
        .where(
          and(
            eq(oidcRecords.model, this.model),
            eq(oidcRecords.id, id),
            gt(oidcRecords.expiresAt, new Date()),
          ),
        )
        .limit(1),
    );
    if (!row) return undefined;
    const payload = row.payload as AdapterPayload;
    return row.consumedAt
      ? { ...payload, consumed: Math.floor(row.consumedAt.getTime() / 1000) }
      : payload;
  }

  async findByUid(): Promise<undefined> {
    return undefined;
  }

  async findByUserCode(): Promise<undefined> {
    return undefined;
  }

  async consume(id: string): Promise<void> {
    await this.run((db) =>
      db
        .update(oidcRecords)
        .set({ consumedAt: new Date() })
        .where(and(eq(oidcRecords.model, this.model), eq(oidcRecords.id, id))),
    );
  }

  async destroy(id: string): Promise<void> {
    await this.run((db) =>
      db.delete(oidcRecords).where(and(eq(oidcRecords.model, this.model), eq(oidcRecords.id, id))),
    );
  }

  async revokeByGrantId(grantId: string): Promise<void> {
    await this.run((db) =>
      db
        .delete(oidcRecords)
        .where(and(eq(oidcRecords.model, this.model), eq(oidcRecords.grantId, grantId))),
    );
  }
}

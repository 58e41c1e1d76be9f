import "server-only";
import { keys } from "../store/keys";
import type { KvStore } from "../store/kv";
import type { StoredPasskey } from "./passkeys";

/**
 * Where an account's passkeys and its "approvals need a passkey" setting are
 * kept. The default is the database (lib/accounts/passkey-records.ts), so
 * losing Redis loses neither; the Redis hash below is what they lived in
 * before, still read once per account to carry them over.
 */
export interface PasskeyRecords {
  /** The account's passkeys, oldest first, and the setting. */
  load(userId: string): Promise<{ passkeys: StoredPasskey[]; setting: boolean }>;
  /** Adds a passkey, or updates one of the account's (counter, last use). */
  save(userId: string, passkey: StoredPasskey): Promise<void>;
  remove(userId: string, passkeyId: string): Promise<void>;
  setRequired(userId: string, on: boolean): Promise<void>;
}

const REQUIRE_FIELD = "$require";
/** Passkeys are kept until removed (the hash's lifetime is renewed on every write). */
const PASSKEY_TTL_MS = 5 * 365 * 24 * 60 * 60 * 1000;

/** One Redis hash per account (`keys.passkeys`): a field per passkey, `$require` for the setting. */
export class KvPasskeyRecords implements PasskeyRecords {
  constructor(private readonly kv: KvStore) {}

  async load(userId: string) {
    const hash = (await this.kv.getHash(keys.passkeys(userId))) ?? {};
    const passkeys: StoredPasskey[] = [];
    for (const [field, json] of Object.entries(hash)) {
      if (field === REQUIRE_FIELD) continue;
      try {
        passkeys.push(JSON.parse(json) as StoredPasskey);
      } catch {}
    }
    passkeys.sort((a, b) => a.createdAt - b.createdAt);
    return { passkeys, setting: hash[REQUIRE_FIELD] === "1" };
  }

  async save(userId: string, passkey: StoredPasskey) {
    await this.kv.setField(
      keys.passkeys(userId),
      passkey.id,
      JSON.stringify(passkey),
      PASSKEY_TTL_MS,
    );
  }

  async remove(userId: string, passkeyId: string) {
    await this.kv.deleteField(keys.passkeys(userId), passkeyId);
  }

  async setRequired(userId: string, on: boolean) {
    await this.kv.setField(keys.passkeys(userId), REQUIRE_FIELD, on ? "1" : "0", PASSKEY_TTL_MS);
  }
}

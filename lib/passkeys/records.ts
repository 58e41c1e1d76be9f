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
  /**
   * Adds a new passkey in one atomic step, only while the account's passkey
   * ids still have `expectedDigest` (fieldsDigest: the set the registration
   * began with) — "changed" otherwise — and the credential id is no
   * account's yet — "exists" otherwise (a credential is one account's).
   */
  add(
    userId: string,
    passkey: StoredPasskey,
    expectedDigest: string,
  ): Promise<"written" | "exists" | "changed">;
  /** Updates one of the account's passkeys after a use, only while it exists: false if removed. */
  update(userId: string, passkey: StoredPasskey): Promise<boolean>;
  /** Removes one of the account's passkeys: false when it had none by that id. */
  remove(userId: string, passkeyId: string): Promise<boolean>;
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

  async add(userId: string, passkey: StoredPasskey, expectedDigest: string) {
    // One credential, one account: claim its id in the index first (released if the add fails).
    const owner = keys.passkeyOwner(passkey.id);
    if (!(await this.kv.setString(owner, userId, PASSKEY_TTL_MS, true))) return "exists" as const;
    let outcome: "written" | "exists" | "changed";
    try {
      outcome = await this.kv.addFieldIfKeysMatch(
        keys.passkeys(userId),
        passkey.id,
        JSON.stringify(passkey),
        expectedDigest,
        PASSKEY_TTL_MS,
      );
    } catch (error) {
      await this.kv.del(owner).catch(() => {});
      throw error;
    }
    if (outcome !== "written") await this.kv.del(owner);
    return outcome;
  }

  update(userId: string, passkey: StoredPasskey) {
    return this.kv.setField(
      keys.passkeys(userId),
      passkey.id,
      JSON.stringify(passkey),
      PASSKEY_TTL_MS,
      true,
    );
  }

  async remove(userId: string, passkeyId: string) {
    if (!(await this.kv.deleteField(keys.passkeys(userId), passkeyId))) return false;
    const owner = keys.passkeyOwner(passkeyId);
    if ((await this.kv.getString(owner)) === userId) await this.kv.del(owner);
    return true;
  }

  async setRequired(userId: string, on: boolean) {
    await this.kv.setField(keys.passkeys(userId), REQUIRE_FIELD, on ? "1" : "0", PASSKEY_TTL_MS);
  }
}

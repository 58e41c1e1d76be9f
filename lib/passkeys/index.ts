import "server-only";
import { accounts } from "../accounts";
import { DatabasePasskeyRecords } from "../accounts/passkey-records";
import { store } from "../store";
import { Passkeys } from "./passkeys";
import { KvPasskeyRecords } from "./records";
import { relyingParty } from "./relying-party";

export { type Asker, Passkeys, passkeyView, type StoredPasskey } from "./passkeys";

/**
 * The passkeys service for a request (cheap: the store and the database are
 * the process's own). Passkeys and the setting live in the database; the
 * one-time challenges in the store. A site with its own UserDirectory (no
 * `accounts` rows) passes `new KvPasskeyRecords(store())` here instead.
 */
export const passkeys = (headers: Headers): Passkeys =>
  new Passkeys(
    store(),
    relyingParty(headers),
    Date.now,
    new DatabasePasskeyRecords(
      async () => (await accounts()).database,
      new KvPasskeyRecords(store()),
    ),
  );

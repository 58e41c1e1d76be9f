import "server-only";
import { accounts } from "../accounts";
import { DatabasePasskeyRecords } from "../accounts/passkey-records";
import { logger } from "../log";
import { recordPasskeyChange } from "../notices/passkey-changes";
import { store } from "../store";
import { emitPasskeyChange } from "../webhooks";
import { type PasskeyChange, Passkeys } from "./passkeys";
import { KvPasskeyRecords } from "./records";
import { relyingParty } from "./relying-party";

export {
  type Asker,
  type PasskeyChange,
  Passkeys,
  passkeyView,
  REAUTH_TTL_MS,
  type StoredPasskey,
} from "./passkeys";

/** Tells the account's other phones (notices) and the webhook that a passkey was added or removed. */
async function changed(change: PasskeyChange) {
  emitPasskeyChange(change);
  await recordPasskeyChange(store(), change.userId, {
    kind: change.kind,
    name: change.passkey.name,
    by: change.sessionId,
    at: change.at,
  }).catch((error: unknown) =>
    logger().warn({ err: String(error), kind: change.kind }, "passkey change notice not recorded"),
  );
}

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
    { changed },
  );

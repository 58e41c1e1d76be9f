import "server-only";
import { store } from "../store";
import { Passkeys } from "./passkeys";
import { relyingParty } from "./relying-party";

export { type Asker, Passkeys, passkeyView, type StoredPasskey } from "./passkeys";

/** The passkeys service for a request (cheap: the store is the process's one). */
export const passkeys = (headers: Headers): Passkeys =>
  new Passkeys(store(), relyingParty(headers));

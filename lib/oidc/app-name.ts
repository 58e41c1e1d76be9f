import "server-only";
import { env } from "../env";
import { store } from "../store";
import { keys } from "../store/keys";
import { parseClients } from "./clients";

/** An interaction's uid as it appears in URLs (oidc-provider's nanoid). */
export const INTERACTION_UID = /^[A-Za-z0-9_-]{1,64}$/;

let parsed: { setting: string | undefined; names: Map<string, string> } | undefined;

/** Client id → the name people see (client_name, else the id), from OIDC_CLIENTS. */
function names(): Map<string, string> {
  const setting = env().OIDC_CLIENTS;
  if (parsed && parsed.setting === setting) return parsed.names;
  const list = parseClients(setting);
  const made = new Map(list.map((c) => [c.client_id, c.client_name ?? c.client_id]));
  parsed = { setting, names: made };
  return made;
}

/**
 * The app an OIDC interaction signs in to, read from the provider's record
 * in the store (no provider needed: the login page and the ticket route run
 * in Next.js's bundles). Null for an unknown or ended interaction.
 */
export async function appOfInteraction(uid: string): Promise<string | null> {
  if (!INTERACTION_UID.test(uid)) return null;
  const raw = await store().getString(keys.oidc("Interaction", uid));
  if (!raw) return null;
  const clientId = (JSON.parse(raw) as { params?: { client_id?: unknown } }).params?.client_id;
  return typeof clientId === "string" ? (names().get(clientId) ?? null) : null;
}

/** The interaction uid a /login callbackUrl returns to (`/oidc/interaction/<uid>`), if it is one. */
export function interactionOfCallback(callbackUrl: string): string | null {
  const match = /^\/oidc\/interaction\/([A-Za-z0-9_-]{1,64})$/.exec(callbackUrl);
  return match?.[1] ?? null;
}

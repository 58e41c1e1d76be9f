import "server-only";
import { store } from "../store";
import { keys } from "../store/keys";
import { sha256 } from "../tickets/ids";
import { newSessionId } from "./records";

/**
 * A phone sign-in sent twice makes one phone session (issue 25, item 4). nginx
 * passes a POST to the next instance when the first one reset it
 * (`proxy_next_upstream … non_idempotent`, deploy/nginx.conf), and a person or
 * an app may resend one whose answer was lost. The phone's form (hidden field
 * `idempotencyKey`, one per rendered form) and the native client (header
 * `Idempotency-Key`) name each sign-in; the first try reserves a session id
 * for that key and account, and every later try with the same key (within
 * REMEMBER_MS) signs in to that same session: one line in the session list.
 */

/** How long a key is remembered: a proxy's or an app's retry comes within seconds. */
export const REMEMBER_MS = 120_000;

/** 16 to 128 URL-safe characters (a UUID or 128+ random bits); anything else is ignored. */
const KEY = /^[A-Za-z0-9_-]{16,128}$/;

/** The sign-in's idempotency key, or null when it sent none (or one that cannot be one). */
export function idempotencyKeyOf(value: unknown): string | null {
  return typeof value === "string" && KEY.test(value) ? value : null;
}

/**
 * The id of the phone session this sign-in makes: a fresh one without a key;
 * with one, the id its first try reserved (this try's own when it is the first).
 * Called only after the password was checked, so a key alone reserves nothing.
 */
export async function sessionIdForSignIn(userId: string, key: string | null): Promise<string> {
  const id = newSessionId();
  if (!key) return id;
  const slot = keys.signInOnce(userId, sha256(key));
  if (await store().setString(slot, id, REMEMBER_MS, true)) return id;
  return (await store().getString(slot)) ?? id;
}

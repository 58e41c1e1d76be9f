import "server-only";
import type { JWT } from "next-auth/jwt";
import { env } from "../env";
import { webSessionActive } from "../sessions/active-check";

/**
 * Whether a decoded session token may still act: within SESSION_MAX_AGE_S of
 * its sign-in (next-auth renews the cookie on use, so its own expiry slides),
 * and, for a QR session, not signed out from the phone.
 */
export async function tokenStillValid(token: JWT): Promise<boolean> {
  const age = Math.floor(Date.now() / 1000) - (token.authTime ?? 0);
  if (age > env().SESSION_MAX_AGE_S) return false;
  return !(token.sid && token.sub) || (await webSessionActive(token.sub, token.sid));
}

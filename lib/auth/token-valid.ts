import "server-only";
import type { JWT } from "next-auth/jwt";
import { env } from "../env";
import { sessionActive } from "../sessions/checks";
import type { SessionRef } from "../sessions/records";

/** The session a decoded next-auth token names, or null for a token from before the registry. */
export function sessionRefOf(token: JWT): SessionRef | null {
  if (!token.sub || !token.sid || (token.kind !== "phone" && token.kind !== "computer"))
    return null;
  return {
    userId: token.sub,
    sid: token.sid,
    kind: token.kind,
    ticketId: token.tid,
    approvedBy: token.appr,
  };
}

/**
 * Whether a decoded session token may still act: within SESSION_MAX_AGE_S of
 * its sign-in (next-auth renews the cookie on use, so its own expiry slides),
 * and its record in the session registry still there (not signed out).
 */
export async function tokenStillValid(token: JWT): Promise<boolean> {
  const age = Math.floor(Date.now() / 1000) - (token.authTime ?? 0);
  if (age > env().SESSION_MAX_AGE_S) return false;
  const ref = sessionRefOf(token);
  return ref !== null && (await sessionActive(ref));
}

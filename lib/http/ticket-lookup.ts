import "server-only";
import { auditUser } from "../log";
import { guardLookup } from "../rate-limit";
import { store } from "../store";
import { keys } from "../store/keys";
import { tickets } from "../tickets/index";
import { ApiError } from "./errors";

/**
 * The ticket a typed user code (already normalised) names, or null. Guesses
 * are limited per approver and per IP (guardLookup) and audited. Used by
 * `POST /api/qr/lookup` and by the phone page's form (a server action).
 */
export async function lookupTicket(userId: string, ip: string, code: string) {
  let ticketId: string | null;
  try {
    // Only a code whose page is still open on the computer: a screenshot's code names nothing.
    ticketId = await guardLookup(userId, ip, () => tickets().findFollowedByUserCode(code));
  } catch (error) {
    if (ApiError.is(error)) auditUser("lookup", { userId, ip, outcome: error.code });
    throw error;
  }
  auditUser("lookup", { userId, ip, outcome: ticketId ? "ok" : "not_found" });
  return ticketId;
}

/** What a code typed on the phone names: a computer's login ticket, or a device waiting on the device grant. */
export type TypedCode = { ticketId: string } | { deviceUserCode: string } | null;

/**
 * As lookupTicket, and when no login page shows the code, a device grant
 * (RFC 8628) whose TV or command line shows it: its user codes use the same
 * alphabet and form. One guarded lookup, counted once.
 */
export async function lookupTypedCode(
  userId: string,
  ip: string,
  code: string,
): Promise<TypedCode> {
  let found: TypedCode;
  try {
    found = await guardLookup(userId, ip, async () => {
      const ticketId = await tickets().findFollowedByUserCode(code);
      if (ticketId) return { ticketId };
      const device = await store().getString(
        keys.oidcLookup("DeviceCode", "userCode", code.replace("-", "")),
      );
      return device ? { deviceUserCode: code } : null;
    });
  } catch (error) {
    if (ApiError.is(error)) auditUser("lookup", { userId, ip, outcome: error.code });
    throw error;
  }
  auditUser("lookup", { userId, ip, outcome: found ? "ok" : "not_found" });
  return found;
}

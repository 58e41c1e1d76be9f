import "server-only";
import { auditUser } from "../log";
import { guardLookup } from "../rate-limit";
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

import type { LookupAnswer } from "@/lib/api/shapes";
import { env } from "@/lib/env";
import { ApiError } from "@/lib/http/errors";
import { methods, route } from "@/lib/http/handler";
import { clientIp } from "@/lib/http/request-info";
import { json } from "@/lib/http/response";
import { auditUser } from "@/lib/log";
import { guardLookup } from "@/lib/rate-limit";
import { tickets } from "@/lib/tickets";
import { lookupBody } from "./schema";

/**
 * The type-a-code path: the phone sends the code shown under the QR and gets
 * the ticket it names (and a current QR token), then goes on exactly as after a scan. Guesses are
 * limited per approver and per IP (see guardLookup).
 */
const lookup = route({ auth: "approver", body: lookupBody }, async ({ req, body, approver }) => {
  const { userId } = approver;
  const ip = clientIp(req.headers);
  let ticketId: string | null;
  try {
    ticketId = await guardLookup(userId, ip, () => tickets().findByUserCode(body.userCode));
  } catch (error) {
    if (ApiError.is(error)) auditUser("lookup", { userId, ip, outcome: error.code });
    throw error;
  }
  auditUser("lookup", { userId, ip, outcome: ticketId ? "ok" : "not_found" });
  if (!ticketId) {
    throw new ApiError(
      "not_found",
      `No sign-in request has this code. Check the code on the computer; each code works for ${minutes(env().ttl.pendingMs)}.`,
    );
  }
  // The code lives longer than a QR: the answer carries a QR token that still scans (lib/tickets/service.ts).
  const qrToken = (await tickets().qrTokenForCode(ticketId)) ?? "";
  return json({ ticketId, qrToken } satisfies LookupAnswer);
});

/** "2 minutes", "90 seconds", "1 minute". */
function minutes(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s % 60 !== 0) return `${s} seconds`;
  return s === 60 ? "1 minute" : `${s / 60} minutes`;
}

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = methods({ POST: lookup });

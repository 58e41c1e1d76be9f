import { lookupAnswer } from "@/lib/api/shapes";
import { env } from "@/lib/env";
import { ApiError } from "@/lib/http/errors";
import { methods, route } from "@/lib/http/handler";
import { clientIp } from "@/lib/http/request-info";
import { lookupTicket } from "@/lib/http/ticket-lookup";
import { tickets } from "@/lib/tickets";
import { lookupBody } from "./schema";

/**
 * The type-a-code path: the phone sends the code shown under the QR and gets
 * the ticket it names (and a current QR token), then goes on exactly as after a scan. Guesses are
 * limited per approver and per IP (see guardLookup).
 */
const lookup = route(
  {
    summary: "The ticket a typed user code names (guesses limited per approver and per IP: 429)",
    tag: "approver",
    auth: "approver",
    body: lookupBody,
    ok: [200, lookupAnswer],
    errors: [400, 401, 403, 404, 415, 429, 503],
  },
  async ({ req, body, approver, reply }) => {
    const ticketId = await lookupTicket(approver.userId, clientIp(req.headers), body.userCode);
    if (!ticketId) {
      throw new ApiError(
        "not_found",
        `No sign-in request has this code. Check the code on the computer; each code works for ${minutes(env().ttl.pendingMs)}.`,
      );
    }
    // The code lives longer than a QR: the answer carries a QR token that still scans (lib/tickets/service.ts).
    const qrToken = (await tickets().qrTokenForCode(ticketId)) ?? "";
    return reply({ ticketId, qrToken });
  },
);

/** "2 minutes", "90 seconds", "1 minute". */
function minutes(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s % 60 !== 0) return `${s} seconds`;
  return s === 60 ? "1 minute" : `${s / 60} minutes`;
}

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = methods({ POST: lookup });

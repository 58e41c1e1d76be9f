import { scannedTicket } from "@/lib/api/shapes";
import { knownDevice } from "@/lib/devices/known-devices";
import { env } from "@/lib/env";
import { locate } from "@/lib/geo/locate";
import { parseCookies } from "@/lib/http/cookies";
import { methods, route } from "@/lib/http/handler";
import { openedCookieName, readOpened } from "@/lib/http/opened-cookie";
import { clientIp } from "@/lib/http/request-info";
import { auditUser } from "@/lib/log";
import { tickets } from "@/lib/tickets";
import { qrTokenSlot } from "@/lib/tickets/qr-token";
import { scanView } from "@/lib/tickets/views";
import { codeShownAt, firstSeen } from "@/lib/tickets/warnings";
import { APPROVER_ERRORS, ticketParams } from "../schema";
import { scanQuery } from "./schema";

/**
 * The phone scanned the QR: bind the ticket to this user (when the QR's
 * token is still current) and show who is asking: browser, system, address,
 * where that address is, and whether this user signed in from that browser
 * before.
 */
const scan = route(
  {
    summary:
      "Scan: bind the ticket to this user and see who is asking; `t` is the token the QR's URL carried",
    tag: "approver",
    auth: "approver",
    params: ticketParams,
    query: scanQuery,
    ok: [200, scannedTicket],
    errors: APPROVER_ERRORS,
  },
  async ({ req, params, query, approver, reply }) => {
    const { userId } = approver;
    const ip = clientIp(req.headers);
    // When this browser first opened the code (a phone browser's cookie): a person who had to
    // sign in on the phone first keeps the request they opened, and its age counts to then.
    const e = env();
    const opened = readOpened(
      parseCookies(req.headers).get(openedCookieName(e.secureCookies)),
      e.authSecret,
    );
    const openedAt = opened?.id === params.ticketId ? opened.at : undefined;
    const service = tickets();
    const ticket = await service.scan(params.ticketId, userId, ip, query.t ?? "", openedAt);
    const [requesterAt, phoneAt, signedInBefore] = await Promise.all([
      locate(ticket.requester.ip),
      locate(ip),
      ticket.deviceHash ? knownDevice(userId, ticket.deviceHash, ticket.id) : undefined,
    ]);
    const now = Date.now();
    const view = scanView(
      ticket,
      ip,
      {
        requesterAt,
        phoneAt,
        signedInBefore,
        seenAt: firstSeen(ticket, opened, now),
        shownAt: codeShownAt(
          ticket,
          query.t ? qrTokenSlot(ticket, query.t) : null,
          service.lifetimes,
        ),
        oldCodeMs: e.QRL_OLD_CODE_S,
      },
      now,
    );
    if (view.warnings.length > 0) {
      auditUser("scan_warning", {
        ticketId: ticket.id,
        userId,
        ip,
        outcome: view.warnings.join(","),
        requesterIp: ticket.requester.ip,
      });
    }
    return reply(view);
  },
);

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = methods({ POST: scan });

import { env } from "@/lib/env";
import { parseCookies } from "@/lib/http/cookies";
import { methods, route } from "@/lib/http/handler";
import { clientIp } from "@/lib/http/request-info";
import { json } from "@/lib/http/response";
import { auditUser } from "@/lib/log";
import { tickets } from "@/lib/tickets";
import { openedCookieName, readOpened } from "@/lib/tickets/opened";
import { scanView } from "@/lib/tickets/views";
import { firstSeen } from "@/lib/tickets/warnings";
import { ticketParams } from "../schema";

/** The phone scanned the QR: bind the ticket to this user and show who is asking. */
const scan = route(
  { auth: "approver", params: ticketParams },
  async ({ req, params, approver }) => {
    const { userId } = approver;
    const ip = clientIp(req.headers);
    const ticket = await tickets().scan(params.ticketId, userId, ip);
    // The code's age counts to when this browser first opened it (a phone browser's cookie).
    const e = env();
    const cookie = parseCookies(req.headers).get(openedCookieName(e.secureCookies));
    const now = Date.now();
    const view = scanView(
      ticket,
      ip,
      now,
      firstSeen(ticket, readOpened(cookie, e.authSecret), now),
      e.QRL_OLD_CODE_S,
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
    return json(view);
  },
);

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = methods({ POST: scan });

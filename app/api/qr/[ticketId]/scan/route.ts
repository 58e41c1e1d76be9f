import { knownDevice } from "@/lib/devices/known-devices";
import { locate } from "@/lib/geo/locate";
import { methods, route } from "@/lib/http/handler";
import { clientIp } from "@/lib/http/request-info";
import { json } from "@/lib/http/response";
import { auditUser } from "@/lib/log";
import { tickets } from "@/lib/tickets";
import { scanView } from "@/lib/tickets/views";
import { ticketParams } from "../schema";
import { scanQuery } from "./schema";

/**
 * The phone scanned the QR: bind the ticket to this user (when the QR's
 * token is still current) and show who is asking: browser, system, address,
 * where that address is, and whether this user signed in from that browser
 * before.
 */
const scan = route(
  { auth: "approver", params: ticketParams, query: scanQuery },
  async ({ req, params, query, approver }) => {
    const { userId } = approver;
    const ip = clientIp(req.headers);
    const ticket = await tickets().scan(params.ticketId, userId, ip, query.t ?? "");
    const [requesterAt, phoneAt, signedInBefore] = await Promise.all([
      locate(ticket.requester.ip),
      locate(ip),
      ticket.deviceHash ? knownDevice(userId, ticket.deviceHash) : undefined,
    ]);
    const view = scanView(ticket, ip, { requesterAt, phoneAt, signedInBefore });
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

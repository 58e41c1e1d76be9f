import { methods, route } from "@/lib/http/handler";
import { clientIp } from "@/lib/http/request-info";
import { json } from "@/lib/http/response";
import { auditUser } from "@/lib/log";
import { tickets } from "@/lib/tickets";
import { scanView } from "@/lib/tickets/views";
import { ticketParams } from "../schema";

/** The phone scanned the QR: bind the ticket to this user and show who is asking. */
const scan = route(
  { auth: "approver", params: ticketParams },
  async ({ req, params, approver }) => {
    const { userId } = approver;
    const ip = clientIp(req.headers);
    const ticket = await tickets().scan(params.ticketId, userId, ip);
    const view = scanView(ticket, ip);
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

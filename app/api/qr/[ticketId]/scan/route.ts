import { authenticateApprover } from "@/lib/auth/approver";
import { json } from "@/lib/http/errors";
import { route } from "@/lib/http/handler";
import { otherMethods } from "@/lib/http/other-methods";
import { clientIp } from "@/lib/http/request-info";
import { auditUser } from "@/lib/log";
import { tickets } from "@/lib/tickets";
import { scanView } from "@/lib/tickets/views";
import { ticketParams } from "../schema";

/** The phone scanned the QR: bind the ticket to this user and show who is asking. */
export const POST = route({ params: ticketParams }, async ({ req, params }) => {
  const { userId } = await authenticateApprover(req);
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
});

export const { GET, PUT, PATCH, DELETE } = otherMethods(["POST"]);

import { authenticateApprover } from "@/lib/auth/approver";
import { json } from "@/lib/http/errors";
import { route } from "@/lib/http/handler";
import { clientIp } from "@/lib/http/request-info";
import { tickets } from "@/lib/tickets";
import { scanView } from "@/lib/tickets/views";
import { ticketParams } from "../schema";

/** The phone scanned the QR: bind the ticket to this user and show who is asking. */
export const POST = route({ params: ticketParams }, async ({ req, params }) => {
  const { userId } = await authenticateApprover(req);
  const ticket = await tickets().scan(params.ticketId, userId, clientIp(req.headers));
  return json(scanView(ticket));
});

import { authenticateApprover } from "@/lib/auth/approver";
import { json } from "@/lib/http/errors";
import { route } from "@/lib/http/handler";
import { clientIp } from "@/lib/http/request-info";
import { tickets } from "@/lib/tickets";
import { ticketParams } from "./schema";

/** The scanner's answer to a scanned ticket: approve or decline. */
export function answerRoute(answer: "confirm" | "deny") {
  return route({ params: ticketParams }, async ({ req, params }) => {
    const { userId } = await authenticateApprover(req);
    const ticket = await tickets()[answer](params.ticketId, userId, clientIp(req.headers));
    return json({ state: ticket.state });
  });
}

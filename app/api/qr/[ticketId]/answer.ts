import { authenticateApprover } from "@/lib/auth/approver";
import { recordDenial } from "@/lib/history/ticket-answers";
import { json } from "@/lib/http/errors";
import { route } from "@/lib/http/handler";
import { clientIp } from "@/lib/http/request-info";
import { tickets } from "@/lib/tickets";
import { ticketParams } from "./schema";

/**
 * The scanner's answer to a scanned ticket: approve, decline, or decline as
 * "This wasn't me" (report). Declines go into the user's security history.
 */
export function answerRoute(answer: "confirm" | "deny" | "report") {
  return route({ params: ticketParams }, async ({ req, params }) => {
    const { userId } = await authenticateApprover(req);
    const ip = clientIp(req.headers);
    const action = answer === "confirm" ? "confirm" : "deny";
    const ticket = await tickets()[action](params.ticketId, userId, ip);
    if (action === "deny") await recordDenial(ticket, { reported: answer === "report", ip });
    return json({ state: ticket.state });
  });
}

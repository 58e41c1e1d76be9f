import { recordDenial } from "@/lib/history/ticket-answers";
import { methods, route } from "@/lib/http/handler";
import { clientIp } from "@/lib/http/request-info";
import { json } from "@/lib/http/response";
import { reserveComputerSession } from "@/lib/sessions/records";
import { tickets } from "@/lib/tickets";
import { ticketParams } from "./schema";

/**
 * The scanner's answer to a scanned ticket: approve, decline, or decline as
 * "This wasn't me" (report). Declines go into the user's security history.
 * Approving names the computer session a claim may make (listed on the phone
 * from now on) and the phone session that approved it.
 * Returns the route's exports (POST, and 405 for the other methods).
 */
export function answerRoute(answer: "confirm" | "deny" | "report") {
  const POST = route({ auth: "approver", params: ticketParams }, async (i) => {
    const ip = clientIp(i.req.headers);
    const { ticketId } = i.params;
    const { userId, sessionId: approvedBy } = i.approver;
    if (answer === "confirm") {
      const sessionId = await reserveComputerSession(userId, ticketId, approvedBy);
      const ticket = await tickets().confirm(ticketId, userId, ip, { sessionId, approvedBy });
      // A retried confirm after the desktop claimed: the approval stands, as the phone said.
      return json({ state: ticket.state === "consumed" ? "confirmed" : ticket.state });
    }
    const ticket = await tickets().deny(ticketId, userId, ip);
    await recordDenial(ticket, { reported: answer === "report", ip });
    return json({ state: ticket.state });
  });
  return methods({ POST });
}

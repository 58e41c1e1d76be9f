import { recordDenial } from "@/lib/history/ticket-answers";
import { methods, route } from "@/lib/http/handler";
import { clientIp } from "@/lib/http/request-info";
import { json } from "@/lib/http/response";
import { tickets } from "@/lib/tickets";
import { ticketParams } from "./schema";

/**
 * The scanner's answer to a scanned ticket: approve, decline, or decline as
 * "This wasn't me" (report). Declines go into the user's security history.
 * Returns the route's exports (POST, and 405 for the other methods).
 */
export function answerRoute(answer: "confirm" | "deny" | "report") {
  const POST = route({ auth: "approver", params: ticketParams }, async (i) => {
    const ip = clientIp(i.req.headers);
    const action = answer === "confirm" ? "confirm" : "deny";
    const ticket = await tickets()[action](i.params.ticketId, i.approver.userId, ip);
    if (action === "deny") await recordDenial(ticket, { reported: answer === "report", ip });
    return json({ state: ticket.state });
  });
  return methods({ POST });
}

import { methods, route } from "@/lib/http/handler";
import { json } from "@/lib/http/response";
import { passkeys } from "@/lib/passkeys";
import { TicketActionError, tickets } from "@/lib/tickets";
import { ticketParams } from "../../schema";

/**
 * Options for navigator.credentials.get to approve this scanned ticket: the
 * challenge is bound to the ticket and its version, one-time, short-lived.
 */
const begin = route(
  { auth: "approver", params: ticketParams },
  async ({ req, params, approver }) => {
    const ticket = await tickets().get(params.ticketId);
    if (!ticket) throw new TicketActionError("not_found");
    return json(await passkeys(req.headers).approvalOptions(ticket, approver));
  },
);

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = methods({ POST: begin });

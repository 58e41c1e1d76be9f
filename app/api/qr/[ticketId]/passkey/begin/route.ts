import { methods, route } from "@/lib/http/handler";
import { json } from "@/lib/http/response";
import { passkeys } from "@/lib/passkeys";
import { limitPasskeyBegin } from "@/lib/rate-limit";
import { TicketActionError, tickets } from "@/lib/tickets";
import { ticketParams } from "../../schema";

/**
 * Options for navigator.credentials.get to approve this scanned ticket: the
 * challenge is bound to the ticket and its version, one-time, short-lived.
 * Limited per user with the other passkey challenges (429 with Retry-After).
 */
const begin = route(
  { auth: "approver", params: ticketParams },
  async ({ req, params, approver }) => {
    await limitPasskeyBegin(approver.userId);
    const ticket = await tickets().get(params.ticketId);
    if (!ticket) throw new TicketActionError("not_found");
    return json(await passkeys(req.headers).approvalOptions(ticket, approver));
  },
);

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = methods({ POST: begin });

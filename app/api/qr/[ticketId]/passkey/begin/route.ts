import { webauthnOptions } from "@/lib/api/shapes";
import { methods, route } from "@/lib/http/handler";
import { passkeys } from "@/lib/passkeys";
import { limitPasskeyBegin } from "@/lib/rate-limit";
import { TicketActionError, tickets } from "@/lib/tickets";
import { APPROVER_ERRORS, ticketParams } from "../../schema";

/**
 * Options for navigator.credentials.get to approve this scanned ticket: the
 * challenge is bound to the ticket and its version, one-time, short-lived.
 * Limited per user with the other passkey challenges (429 with Retry-After).
 */
const begin = route(
  {
    summary:
      "Options for navigator.credentials.get to approve this scanned ticket (challenge bound to the ticket and its version, one-time, user verification required)",
    tag: "passkeys",
    auth: "approver",
    params: ticketParams,
    limit: ({ approver }) => limitPasskeyBegin(approver.userId),
    ok: [200, webauthnOptions],
    errors: [...APPROVER_ERRORS, 429],
  },
  async ({ req, params, approver, reply }) => {
    const ticket = await tickets().get(params.ticketId);
    if (!ticket) throw new TicketActionError("not_found");
    return reply({ ...(await passkeys(req.headers).approvalOptions(ticket, approver)) });
  },
);

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = methods({ POST: begin });

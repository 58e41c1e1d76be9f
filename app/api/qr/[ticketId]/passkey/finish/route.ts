import { ticketAnswer } from "@/lib/api/shapes";
import { methods, route } from "@/lib/http/handler";
import { clientIp } from "@/lib/http/request-info";
import { passkeys } from "@/lib/passkeys";
import { finishApproval } from "@/lib/passkeys/schema";
import { tickets } from "@/lib/tickets";
import { approve } from "../../answer";
import { APPROVER_ERRORS, ticketParams } from "../../schema";

/**
 * Approve with a passkey: the assertion's challenge is taken (one-time)
 * and checked against this ticket, its version, this user and their
 * passkey, with user verification; only then is the ticket confirmed. Any
 * failure leaves the ticket as it was.
 */
const finish = route(
  {
    summary:
      "Approve with a passkey: the assertion for the options of `passkey/begin` (AuthenticationResponseJSON). Any failure leaves the ticket unchanged",
    tag: "passkeys",
    auth: "approver",
    params: ticketParams,
    body: finishApproval,
    ok: [200, ticketAnswer],
    errors: [...APPROVER_ERRORS, 415],
  },
  async ({ req, params, body, approver, reply }) => {
    const { ticketId } = params;
    const current = await tickets().get(ticketId);
    await passkeys(req.headers).verifyApproval(ticketId, current, approver, body.response);
    const ticket = await approve(ticketId, approver, clientIp(req.headers));
    return reply({ state: ticket.state });
  },
);

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = methods({ POST: finish });

import { recordRefusal } from "@/lib/history/ticket-answers";
import { methods, route } from "@/lib/http/handler";
import { clientIp } from "@/lib/http/request-info";
import { tickets } from "@/lib/tickets";
import { emitTicketEvent } from "@/lib/webhooks";
import { ticketParams } from "../schema";

/**
 * "This isn't me" on the computer: an account that never signed in from this
 * browser approved its code, the page asked "Continue as …?", and the person
 * at the computer says the account is not theirs (someone may have read the
 * code off the screen and approved it with their own account: login CSRF).
 * The confirmed ticket is cancelled for good (it can never be claimed), the
 * phone that approved is told (its approval follow reads `refused`), and it
 * goes into that account's history, the audit log and `login.reported`.
 */
const refuse = route(
  {
    summary:
      "“This isn't me” on the computer: a ticket confirmed with `continueRequired` is cancelled for good (never claimed); the approving phone reads `refused`",
    tag: "requester",
    params: ticketParams,
    sameSite: true,
    auth: "binding",
    ok: [204, null],
    errors: [400, 403, 404, 409, 410, 503],
  },
  async ({ req, params, binding, reply }) => {
    const ip = clientIp(req.headers);
    const ticket = await tickets().refuse(params.ticketId, binding, ip);
    emitTicketEvent("login.reported", ticket);
    await recordRefusal(ticket, ip);
    return reply(null);
  },
);

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = methods({ POST: refuse });

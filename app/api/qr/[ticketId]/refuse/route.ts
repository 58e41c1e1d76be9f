import { recordRefusal } from "@/lib/history/ticket-answers";
import { ApiError } from "@/lib/http/errors";
import { methods, route } from "@/lib/http/handler";
import { clientIp, isCrossSite } from "@/lib/http/request-info";
import { noContent } from "@/lib/http/response";
import { tickets } from "@/lib/tickets";
import { bindingSecret } from "@/lib/tickets/binding";
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
const refuse = route({ params: ticketParams }, async ({ req, params }) => {
  if (isCrossSite(req.headers)) throw new ApiError("cross_site");
  const { ticketId } = params;
  const secret = bindingSecret(ticketId, req.headers);
  if (!secret) throw new ApiError("not_found");
  const ip = clientIp(req.headers);
  const ticket = await tickets().refuse(ticketId, secret, ip);
  emitTicketEvent("login.reported", ticket);
  await recordRefusal(ticket, ip);
  return noContent();
});

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = methods({ POST: refuse });

import { ApiError } from "@/lib/http/errors";
import { methods, route } from "@/lib/http/handler";
import { clientIp, isCrossSite } from "@/lib/http/request-info";
import { noContent } from "@/lib/http/response";
import { tickets } from "@/lib/tickets";
import { bindingSecret } from "@/lib/tickets/binding";
import { ticketParams } from "./schema";
import { status } from "./status";

/** Cancel: the requester gives up on the ticket. */
const cancel = route({ params: ticketParams }, async ({ req, params }) => {
  if (isCrossSite(req.headers)) throw new ApiError("cross_site");
  const secret = bindingSecret(params.ticketId, req.headers);
  if (!secret) throw new ApiError("not_found");
  await tickets().cancel(params.ticketId, secret, clientIp(req.headers));
  return noContent();
});

/** GET: the requester's status read and long-poll (./status.ts). */
export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = methods({
  GET: status,
  DELETE: cancel,
});

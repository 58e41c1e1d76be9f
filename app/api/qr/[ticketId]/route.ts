import { methods, route } from "@/lib/http/handler";
import { clientIp } from "@/lib/http/request-info";
import { tickets } from "@/lib/tickets";
import { ticketParams } from "./schema";
import { status } from "./status";

/** Cancel: the requester gives up on the ticket. */
const cancel = route(
  {
    summary: "Cancel",
    tag: "requester",
    params: ticketParams,
    sameSite: true,
    auth: "binding",
    ok: [204, null],
    errors: [400, 403, 404, 409, 410, 503],
  },
  async ({ req, params, binding, reply }) => {
    await tickets().cancel(params.ticketId, binding, clientIp(req.headers));
    return reply(null);
  },
);

/** GET: the requester's status read and long-poll (./status.ts). */
export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = methods({
  GET: status,
  DELETE: cancel,
});

import { ticketApproval } from "@/lib/api/shapes";
import { ApiError } from "@/lib/http/errors";
import { methods, route } from "@/lib/http/handler";
import { clientIp } from "@/lib/http/request-info";
import { limitKeyOf } from "@/lib/net/network";
import { limitApproval } from "@/lib/rate-limit";
import { readApproval } from "@/lib/tickets/long-poll";
import { approvalView } from "@/lib/tickets/views";
import { ticketParams } from "../schema";
import { statusQuery } from "../status";

/**
 * `GET /api/qr/{ticketId}/approval?since={version}&wait={s}`: the phone that
 * scanned the ticket follows it (the desktop's status read needs the binding
 * secret the phone does not have). Only the scanning account may read it
 * (403 not_scanner); with `since` current it waits, like the desktop's
 * long-poll, for the next change. A ticket whose record is gone: 404. Limited
 * per ticket and reader like the status read (429 with Retry-After).
 */
const approval = route(
  {
    summary:
      "The scanner follows the ticket; with `since` equal to the current version, waits up to `wait` s for a change",
    tag: "approver",
    auth: "approver",
    params: ticketParams,
    query: statusQuery,
    limit: ({ params, approver }) => limitApproval(params.ticketId, approver.userId),
    ok: [200, ticketApproval],
    errors: [400, 401, 403, 404, 429, 503],
  },
  async ({ req, params, query, approver, reply }) => {
    const found = await readApproval(params.ticketId, approver.userId, {
      since: query.since,
      waitMs: (query.wait ?? 0) * 1000,
      signal: () => req.signal,
      holder: () => limitKeyOf(clientIp(req.headers)),
    });
    if (!found) throw new ApiError("not_found");
    return reply(approvalView(found.ticket, found.state));
  },
);

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = methods({ GET: approval });

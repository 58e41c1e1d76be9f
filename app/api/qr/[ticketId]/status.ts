import { z } from "zod";
import { ticketStatus } from "@/lib/api/shapes";
import { route } from "@/lib/http/handler";
import { publicOrigin } from "@/lib/http/public-url";
import { clientIp } from "@/lib/http/request-info";
import { limitKeyOf } from "@/lib/net/network";
import { limitStatus } from "@/lib/rate-limit";
import { readStatus } from "@/lib/tickets/long-poll";
import { statusView } from "@/lib/tickets/views";
import { ticketParams } from "./schema";

/**
 * `?since={version}&wait={s}`: with `since` current, wait up to `wait` s for
 * a change. `qr={slot}`: the rotation slot of the QR on screen (the number
 * before the dot in its URL's `t`); when it is no longer current, the poll
 * answers at once with the new scan URL.
 */
export const statusQuery = z.object({
  since: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
  wait: z.coerce.number().min(0).max(25).optional(),
  qr: z.coerce.number().int().min(0).max(999_999).optional(),
});

/**
 * `GET /api/qr/{ticketId}`: the requester's status read and long-poll, the
 * hottest request there is. Next.js serves it through route.ts, and
 * server.mjs's fast path (lib/server/fast-api.ts) through `status.answer`
 * without Next.js's per-request cost: the same route either way.
 * Unknown id and missing or wrong binding: the same 404.
 */
export const status = route(
  {
    summary: "Status; with `since` equal to the current version, waits up to `wait` s for a change",
    tag: "requester",
    params: ticketParams,
    query: statusQuery,
    auth: "binding",
    limit: ({ params }) => limitStatus(params.ticketId),
    ok: [200, ticketStatus],
    errors: [400, 404, 429, 503],
  },
  async (i) => {
    const { ticketId } = i.params;
    const found = await readStatus(ticketId, i.binding, {
      since: i.query.since,
      waitMs: (i.query.wait ?? 0) * 1000,
      signal: () => i.req.signal,
      holder: () => limitKeyOf(clientIp(i.req.headers)),
      shownSlot: i.query.qr,
    });
    if (!found) {
      // The cookie's MAC proves this server issued it for this ticket, so the
      // record is gone (its tombstone ran out, or Redis lost it): expired.
      return i.reply({ state: "expired", version: 0, expiresAt: new Date().toISOString() });
    }
    return i.reply(await statusView(found.ticket, found.state, () => publicOrigin(i.req.headers)));
  },
);

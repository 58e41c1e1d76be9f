import { bindingSecret } from "@/lib/auth/claim";
import { ApiError, json } from "@/lib/http/errors";
import { route } from "@/lib/http/handler";
import { otherMethods } from "@/lib/http/other-methods";
import { clientIp, isCrossSite } from "@/lib/http/request-info";
import { limitStatus } from "@/lib/rate-limit";
import { tickets } from "@/lib/tickets";
import { readStatus } from "@/lib/tickets/long-poll";
import { statusView } from "@/lib/tickets/views";
import { statusQuery, ticketParams } from "./schema";

/**
 * The requester's view of its ticket; with `since` and `wait`, a long-poll
 * that answers the moment the ticket changes. Unknown id and missing or wrong
 * binding: the same 404.
 */
export const GET = route({ params: ticketParams }, async ({ req, params }) => {
  const query = statusQuery.safeParse(Object.fromEntries(req.nextUrl.searchParams));
  if (!query.success)
    throw new ApiError("invalid_request", "Invalid request: since or wait is out of range");
  const secret = bindingSecret(params.ticketId, req.headers);
  if (!secret) throw new ApiError("not_found");
  await limitStatus(params.ticketId);
  const { since, wait = 0 } = query.data;
  const found = await readStatus(params.ticketId, secret, {
    since,
    waitMs: wait * 1000,
    signal: req.signal,
  });
  if (!found) {
    // The cookie's MAC proves this server issued it for this ticket, so the
    // record is gone (its tombstone ran out, or Redis lost it): expired.
    return json({ state: "expired", version: 0, expiresAt: new Date().toISOString() });
  }
  return json(await statusView(found.ticket, found.state));
});

/** Cancel: the requester gives up on the ticket. */
export const DELETE = route({ params: ticketParams }, async ({ req, params }) => {
  if (isCrossSite(req.headers)) throw new ApiError("cross_site");
  const secret = bindingSecret(params.ticketId, req.headers);
  if (!secret) throw new ApiError("not_found");
  await tickets().cancel(params.ticketId, secret, clientIp(req.headers));
  return new Response(null, { status: 204, headers: { "Cache-Control": "no-store" } });
});

export const { POST, PUT, PATCH } = otherMethods(["GET", "DELETE"]);

import type { NextRequest } from "next/server";
import { bindingSecret } from "@/lib/auth/claim";
import { ApiError } from "@/lib/http/errors";
import { route } from "@/lib/http/handler";
import { otherMethods } from "@/lib/http/other-methods";
import { clientIp, isCrossSite } from "@/lib/http/request-info";
import { tickets } from "@/lib/tickets";
import { statusResponse } from "@/lib/tickets/status-request";
import { ticketParams } from "./schema";

/** The requester's status read and long-poll (lib/tickets/status-request.ts). */
export async function GET(req: NextRequest, context: { params: Promise<{ ticketId: string }> }) {
  return statusResponse({
    ticketId: (await context.params).ticketId,
    search: req.nextUrl.searchParams,
    headers: req.headers,
    signal: req.signal,
    path: req.nextUrl.pathname,
  });
}

/** Cancel: the requester gives up on the ticket. */
export const DELETE = route({ params: ticketParams }, async ({ req, params }) => {
  if (isCrossSite(req.headers)) throw new ApiError("cross_site");
  const secret = bindingSecret(params.ticketId, req.headers);
  if (!secret) throw new ApiError("not_found");
  await tickets().cancel(params.ticketId, secret, clientIp(req.headers));
  return new Response(null, { status: 204, headers: { "Cache-Control": "no-store" } });
});

export const { POST, PUT, PATCH } = otherMethods(["GET", "DELETE"]);

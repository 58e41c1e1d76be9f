import { env } from "@/lib/env";
import { serializeCookie } from "@/lib/http/cookies";
import { ApiError } from "@/lib/http/errors";
import { methods, route } from "@/lib/http/handler";
import { publicOrigin } from "@/lib/http/public-url";
import { clientIp, isCrossSite } from "@/lib/http/request-info";
import { json } from "@/lib/http/response";
import { limitCreate } from "@/lib/rate-limit";
import { tickets } from "@/lib/tickets";
import { bindingCookieName, bindingCookieValue } from "@/lib/tickets/binding";

/** Create a ticket: the QR's URL for the page, the binding secret as an HttpOnly cookie. */
const create = route({}, async ({ req }) => {
  if (isCrossSite(req.headers)) throw new ApiError("cross_site");
  const e = env();
  const ip = clientIp(req.headers);
  await limitCreate(ip);
  const { ticket, secret } = await tickets().create({
    ip,
    userAgent: (req.headers.get("user-agent") ?? "").slice(0, 512),
  });
  const cookie = serializeCookie(
    bindingCookieName(ticket.id, e.secureCookies),
    bindingCookieValue(ticket.id, secret),
    { maxAgeS: (e.ttl.maxMs + e.ttl.tombstoneMs) / 1000, secure: e.secureCookies },
  );
  return json(
    {
      ticketId: ticket.id,
      scanUrl: `${publicOrigin(req.headers)}/m/scan/${ticket.id}`,
      userCode: ticket.userCode,
      expiresAt: new Date(ticket.deadline).toISOString(),
      pollIntervalMs: e.QRL_POLL_INTERVAL_MS,
    },
    201,
    { "Set-Cookie": cookie },
  );
});

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = methods({ POST: create });

import { createdTicket } from "@/lib/api/shapes";
import { env } from "@/lib/env";
import { bindingCookieName, bindingCookieValue } from "@/lib/http/binding-cookie";
import { serializeCookie } from "@/lib/http/cookies";
import { deviceCookieFor } from "@/lib/http/device-cookie";
import { methods, route } from "@/lib/http/handler";
import { publicOrigin } from "@/lib/http/public-url";
import { clientIp } from "@/lib/http/request-info";
import { appOfInteraction } from "@/lib/oidc/app-name";
import { limitCreate } from "@/lib/rate-limit";
import { tickets } from "@/lib/tickets";
import { scanUrlOf } from "@/lib/tickets/scan-url";
import { oldBindingCookies } from "./binding-cookies";
import { createQuery } from "./schema";

/**
 * Create a ticket: the QR's URL for the page, the binding secret as an
 * HttpOnly cookie, and the browser's device cookie when it has none yet.
 * The browser's oldest binding cookies beyond MAX_BINDING_COOKIES expire.
 */
const create = route(
  {
    summary:
      "Create a ticket; sets the binding cookie. `oidc`: the OpenID Provider interaction it signs in for (the phone names its app)",
    tag: "requester",
    query: createQuery,
    sameSite: true,
    limit: ({ req }) => limitCreate(clientIp(req.headers)),
    ok: [201, createdTicket],
    errors: [400, 403, 413, 429, 503],
  },
  async ({ req, query, reply }) => {
    const e = env();
    const ip = clientIp(req.headers);
    const device = deviceCookieFor(req.headers);
    // Signing in to an app through the OpenID Provider: the phone's confirm screen names it.
    const app = query.oidc ? await appOfInteraction(query.oidc) : null;
    const { ticket, secret } = await tickets().create(
      { ip, userAgent: (req.headers.get("user-agent") ?? "").slice(0, 512) },
      device.hash,
      app ?? undefined,
    );
    const cookie = serializeCookie(
      bindingCookieName(ticket.id, e.secureCookies),
      bindingCookieValue(ticket.id, secret),
      { maxAgeS: (e.ttl.maxMs + e.ttl.tombstoneMs) / 1000, secure: e.secureCookies },
    );
    const res = reply(
      {
        ticketId: ticket.id,
        scanUrl: scanUrlOf(publicOrigin(req.headers), ticket),
        userCode: ticket.userCode,
        expiresAt: new Date(ticket.deadline).toISOString(),
        pollIntervalMs: e.QRL_POLL_INTERVAL_MS,
      },
      { "Set-Cookie": cookie },
    );
    if (device.setCookie) res.headers.append("Set-Cookie", device.setCookie);
    for (const old of oldBindingCookies(req.headers, e.secureCookies)) {
      res.headers.append("Set-Cookie", old);
    }
    return res;
  },
);

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = methods({ POST: create });

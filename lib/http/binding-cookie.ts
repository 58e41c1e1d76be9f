import "server-only";
import { createHmac, timingSafeEqual } from "node:crypto";
import { env } from "../env";
import { parseCookies } from "./cookies";

/**
 * The binding cookie ties a ticket to the browser that created it. Its value
 * is `secret.mac`: the secret (the store keeps only its hash) and an HMAC that
 * proves this server issued it for this ticket id. The MAC lets the server
 * answer "expired" to the ticket's own browser after the record is gone (TTL,
 * Redis restart) while still answering 404 to everyone else.
 */

const key = () => `qrl-binding:${env().authSecret}`;

const mac = (ticketId: string, secret: string) =>
  createHmac("sha256", key()).update(`${ticketId}.${secret}`).digest("base64url").slice(0, 32);

export function bindingCookieName(ticketId: string, secure: boolean): string {
  return `${secure ? "__Host-" : ""}qrl-${ticketId}`;
}

export function bindingCookieValue(ticketId: string, secret: string): string {
  return `${secret}.${mac(ticketId, secret)}`;
}

/** The secret from a cookie value, or null when the value was not issued for this ticket. */
export function readBindingCookie(ticketId: string, value: string | undefined): string | null {
  const [secret, tag, ...rest] = (value ?? "").split(".");
  if (!secret || !tag || rest.length > 0) return null;
  const expected = Buffer.from(mac(ticketId, secret));
  const given = Buffer.from(tag);
  return expected.length === given.length && timingSafeEqual(expected, given) ? secret : null;
}

/**
 * The binding secret this request's cookies hold for a ticket, or null. Only
 * the cookie name this server sets counts: on https the `__Host-` one, which
 * a sibling subdomain or a plain-http page cannot set, never the bare name.
 */
export function bindingSecret(ticketId: string, headers: Headers): string | null {
  const value = parseCookies(headers).get(bindingCookieName(ticketId, env().secureCookies));
  return readBindingCookie(ticketId, value);
}

import "server-only";
import { createHmac, timingSafeEqual } from "node:crypto";
import { serializeCookie } from "./cookies";

/**
 * When this phone browser first opened a ticket's scan page (maybe signed
 * out, so long before its scan): an HttpOnly cookie `<ticketId>.<ms>.<mac>`
 * set by proxy.ts on the first visit, MAC'd with the server's secret. Only
 * the server sets it, only in the browser that opened the page, so someone
 * relaying a code cannot make it look fresh in the victim's browser.
 */
export const openedCookieName = (secure: boolean) => `${secure ? "__Host-" : ""}qrl-opened`;

const macOf = (secret: string, id: string, at: number) =>
  createHmac("sha256", secret).update(`opened:${id}:${at}`).digest("base64url");

export function openedCookie(id: string, at: number, o: { secret: string; secure: boolean }) {
  return serializeCookie(openedCookieName(o.secure), `${id}.${at}.${macOf(o.secret, id, at)}`, {
    maxAgeS: 600,
    secure: o.secure,
    sameSite: "Lax",
  });
}

/** The ticket id and time a valid cookie value holds, or null. */
export function readOpened(value: string | undefined, secret: string) {
  const [id = "", at = "", mac = ""] = (value ?? "").split(".");
  const ms = Number(at);
  if (!id || !/^\d{1,15}$/.test(at)) return null;
  const expected = Buffer.from(macOf(secret, id, ms));
  const given = Buffer.from(mac);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  return { id, at: ms };
}

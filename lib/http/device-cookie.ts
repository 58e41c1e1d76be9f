import "server-only";
import { randomBytes } from "node:crypto";
import { REMEMBER_BROWSER_S } from "../devices/known-devices";
import { env } from "../env";
import { sha256 } from "../tickets/ids";
import { parseCookies, serializeCookie } from "./cookies";

/**
 * The device cookie: a long-lived, HttpOnly, random id for a desktop
 * browser (RFC 10027's "trusted devices"), set when it first asks for a
 * login code. It lets the phone say whether this user has signed in from
 * that browser before. It is nothing else: not a credential, not a
 * fingerprint (no browser property goes into it), and the store only ever
 * sees hashes of it (lib/devices/known-devices.ts).
 */

/** As long as the browser is remembered: 400 days, the longest browsers keep a cookie for. */
export const DEVICE_COOKIE_MAX_AGE_S = REMEMBER_BROWSER_S;

const VALUE = /^[A-Za-z0-9_-]{43}$/;

export function deviceCookieName(secure: boolean): string {
  return `${secure ? "__Host-" : ""}qrl-device`;
}

/**
 * The device id this request's cookie carries (only the name this server
 * sets: on https the `__Host-` one), or null when it carries none or a
 * malformed one.
 */
export function deviceIdOf(headers: Headers): string | null {
  const value = parseCookies(headers).get(deviceCookieName(env().secureCookies));
  return value && VALUE.test(value) ? value : null;
}

/**
 * For ticket creation: the hash of this browser's device id, and the
 * Set-Cookie that gives the browser one when it has none (32 random bytes).
 */
export function deviceCookieFor(headers: Headers): { hash: string; setCookie?: string } {
  const existing = deviceIdOf(headers);
  if (existing) return { hash: sha256(existing) };
  const id = randomBytes(32).toString("base64url");
  const secure = env().secureCookies;
  return {
    hash: sha256(id),
    setCookie: serializeCookie(deviceCookieName(secure), id, {
      maxAgeS: DEVICE_COOKIE_MAX_AGE_S,
      secure,
    }),
  };
}

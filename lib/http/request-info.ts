import "server-only";
import { randomBytes, timingSafeEqual } from "node:crypto";
import { env } from "../env";
import { parseAddress } from "../net/network";
import { singleton } from "../registry";

/**
 * Header the app's server (server.mjs) sets from the socket, replacing any the
 * client sent. Its value is `peerHeaderValue(address)`: the address behind
 * this process's random token, so a client cannot write it (not even to an app
 * started with plain `next start`, where nothing replaces the header).
 */
export const PEER_HEADER = "x-qrl-peer";

const peerToken = () => singleton("peerToken", () => randomBytes(24).toString("base64url"));

/** The PEER_HEADER value for a socket's address, as only this process can write it. */
export function peerHeaderValue(address: string): string {
  return `${peerToken()} ${address}`;
}

/** The address in a PEER_HEADER value this process wrote, or null. */
function peerAddress(value: string | null): string | null {
  const space = value?.indexOf(" ") ?? -1;
  if (!value || space < 0) return null;
  const [given, expected] = [Buffer.from(value.slice(0, space)), Buffer.from(peerToken())];
  const ours = given.length === expected.length && timingSafeEqual(given, expected);
  return ours ? value.slice(space + 1) : null;
}

/**
 * The client's IP address (IPv6 in canonical form, IPv4-mapped as IPv4), or
 * "unknown". Behind TRUST_PROXY=n proxies, the n-th address from the right of
 * X-Forwarded-For (each proxy appends the address it saw; `ip:port` and
 * `[ipv6]:port` are read as the address); otherwise the socket's address,
 * which the client cannot choose. Anything that is not an IP is "unknown".
 * Limits count per `limitKeyOf(ip)` (lib/http/network.ts), not per address.
 */
export function clientIp(headers: Headers): string {
  const hops = env().TRUST_PROXY;
  if (hops > 0) {
    const chain = (headers.get("x-forwarded-for") ?? "").split(",").map((s) => s.trim());
    const ip = chain[chain.length - hops] ?? chain[0];
    if (ip) return parseAddress(ip) ?? "unknown";
  }
  return parseAddress(peerAddress(headers.get(PEER_HEADER)) ?? "") ?? "unknown";
}

/**
 * Same-origin check for requests authenticated by cookies: a browser always
 * sends Origin on a cross-origin POST and Sec-Fetch-Site when it supports it.
 * Requests with neither (curl, native apps) are not browser-driven CSRF.
 */
export function isCrossSite(headers: Headers): boolean {
  const site = headers.get("sec-fetch-site");
  if (site && site !== "same-origin" && site !== "none") return true;
  const origin = headers.get("origin");
  if (!origin) return false;
  const forwarded = env().TRUST_PROXY > 0 ? headers.get("x-forwarded-host") : null;
  const host = forwarded ?? headers.get("host");
  try {
    return new URL(origin).host !== host;
  } catch {
    return true;
  }
}

import "server-only";
import Bowser from "bowser";
import { env } from "../env";

/** Header the app's server (server.mjs) sets from the socket, replacing any the client sent. */
export const PEER_HEADER = "x-qrl-peer";

/**
 * The client's IP address. Behind TRUST_PROXY=n proxies, the n-th address
 * from the right of X-Forwarded-For (each proxy appends the address it saw);
 * otherwise the socket's address, which the client cannot choose.
 */
export function clientIp(headers: Headers): string {
  const hops = env().TRUST_PROXY;
  if (hops > 0) {
    const chain = (headers.get("x-forwarded-for") ?? "").split(",").map((s) => s.trim());
    const ip = chain[chain.length - hops] ?? chain[0];
    if (ip) return normalizeIp(ip);
  }
  return normalizeIp(headers.get(PEER_HEADER) ?? "unknown");
}

const normalizeIp = (ip: string) => (ip.startsWith("::ffff:") ? ip.slice(7) : ip).slice(0, 64);

/** "Chrome 131" and "macOS" or "Android 14" from a user agent; "Unknown browser" when it says nothing useful. */
export function describeUserAgent(userAgent: string): { browser: string; os: string } {
  const parsed = Bowser.parse(userAgent || "");
  const major = parsed.browser.version?.split(".")[0];
  const browser = parsed.browser.name
    ? `${parsed.browser.name}${major ? ` ${major}` : ""}`
    : "Unknown browser";
  // Desktop browsers freeze the OS version in the user agent (every Mac says
  // 10.15.7, Windows 11 says 10), so only phones get a version shown.
  const frozen = parsed.os.name === "macOS" || parsed.os.name === "Windows";
  const osVersion = frozen ? undefined : (parsed.os.versionName ?? parsed.os.version);
  const os = parsed.os.name ? `${parsed.os.name}${osVersion ? ` ${osVersion}` : ""}` : "Unknown OS";
  return { browser, os };
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

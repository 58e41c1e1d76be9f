import "server-only";
import { networkInterfaces } from "node:os";
import { env } from "../env";

const LOOPBACK = /^(localhost|127(?:\.\d+){3}|\[::1\])$/i;

/** The first non-internal IPv4 address of this machine: where a phone on the same Wi-Fi reaches it. */
export function lanAddress(): string | undefined {
  for (const addresses of Object.values(networkInterfaces())) {
    for (const a of addresses ?? []) if (a.family === "IPv4" && !a.internal) return a.address;
  }
  return undefined;
}

/**
 * The origin a phone should open: PUBLIC_URL when set; otherwise the origin the
 * desktop used, with localhost swapped for the LAN address (a phone cannot
 * reach the desktop's localhost).
 */
export function publicOrigin(headers: Headers): string {
  const e = env();
  if (e.PUBLIC_URL) return new URL(e.PUBLIC_URL).origin;
  const url = new URL(
    `${e.secureCookies ? "https" : "http"}://${headers.get("host") ?? "localhost"}`,
  );
  if (LOOPBACK.test(url.hostname)) url.hostname = lanAddress() ?? url.hostname;
  return url.origin;
}

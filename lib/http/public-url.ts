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

/** lanAddress, asked of the system at most every 10 s (the status poll names the QR's URL on every answer). */
let lan: { address: string | undefined; at: number } | undefined;
function cachedLanAddress(): string | undefined {
  const now = Date.now();
  if (!lan || now - lan.at > 10_000) lan = { address: lanAddress(), at: now };
  return lan.address;
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
  if (LOOPBACK.test(url.hostname)) url.hostname = cachedLanAddress() ?? url.hostname;
  return url.origin;
}

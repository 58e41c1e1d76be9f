import "server-only";
import { BlockList, isIPv4, isIPv6 } from "node:net";

/**
 * Whether two client addresses are on the same network, as far as a server
 * can tell from the outside. Used to warn the phone about a relayed QR code
 * (QRLJacking: the code on screen was sent to the victim by someone else).
 *
 * - Private, loopback, link-local and CGNAT addresses are "local": two local
 *   addresses are the same network (the server is on that LAN, or it is a
 *   development machine); a local and a public one are not.
 * - Two public addresses match on the same /24 (IPv4) or /64 (IPv6).
 * - An IPv4 and an IPv6 address never match: there is no way to tell.
 * - An address that is not an IP at all (no peer known) is "unknown".
 */
export type NetworkMatch = "same" | "different" | "unknown";

const LOCAL = new BlockList();
for (const [net, prefix] of [
  ["10.0.0.0", 8],
  ["172.16.0.0", 12],
  ["192.168.0.0", 16],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["100.64.0.0", 10],
] as const) {
  LOCAL.addSubnet(net, prefix, "ipv4");
}
LOCAL.addAddress("::1", "ipv6");
LOCAL.addSubnet("fc00::", 7, "ipv6");
LOCAL.addSubnet("fe80::", 10, "ipv6");

type Family = "ipv4" | "ipv6";

function familyOf(ip: string): Family | null {
  if (isIPv4(ip)) return "ipv4";
  if (isIPv6(ip)) return "ipv6";
  return null;
}

/** An IPv4-mapped IPv6 address (::ffff:a.b.c.d) as the IPv4 address it is. */
const unmap = (ip: string) => (/^::ffff:\d+\.\d+\.\d+\.\d+$/i.test(ip) ? ip.slice(7) : ip);

export function isLocalAddress(ip: string): boolean {
  const address = unmap(ip);
  const family = familyOf(address);
  return family !== null && LOCAL.check(address, family);
}

export function compareNetworks(a: string, b: string): NetworkMatch {
  const [x, y] = [unmap(a.trim()), unmap(b.trim())];
  const [fx, fy] = [familyOf(x), familyOf(y)];
  if (!fx || !fy) return "unknown";
  const [localX, localY] = [LOCAL.check(x, fx), LOCAL.check(y, fy)];
  if (localX || localY) return localX && localY ? "same" : "different";
  if (fx !== fy) return "different";
  const subnet = new BlockList();
  subnet.addSubnet(x, fx === "ipv4" ? 24 : 64, fx);
  return subnet.check(y, fy) ? "same" : "different";
}

import "server-only";
import { BlockList, isIP } from "node:net";

/**
 * Client addresses: parsing what a socket or a proxy reports, the key a
 * per-client limit counts under, and whether two clients share a network.
 */

/**
 * The IP address in an address as sockets and proxies write it, or null when
 * there is none: `203.0.113.7`, `203.0.113.7:1000`, `2001:db8::1`,
 * `[2001:db8::1]`, `[2001:db8::1]:443`, `fe80::1%eth0`. IPv6 comes back in
 * its one canonical form (compressed, lowercase, no zone), and an
 * IPv4-mapped address (`::ffff:203.0.113.7`) as the IPv4 address it is.
 */
export function parseAddress(raw: string): string | null {
  const text = raw.trim();
  const host =
    /^\[([^\]]*)\](?::\d{1,5})?$/.exec(text)?.[1] ??
    /^(\d{1,3}(?:\.\d{1,3}){3}):\d{1,5}$/.exec(text)?.[1] ??
    text;
  const family = isIP(host);
  if (family === 4) return host;
  if (family !== 6) return null;
  // The WHATWG URL parser writes IPv6 canonically (RFC 5952) and refuses zones, so drop the zone.
  const canonical = new URL(`http://[${host.replace(/%.*$/, "")}]/`).hostname.slice(1, -1);
  const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(canonical);
  if (!mapped) return canonical;
  const [high, low] = [Number.parseInt(mapped[1] ?? "", 16), Number.parseInt(mapped[2] ?? "", 16)];
  return [high >> 8, high & 255, low >> 8, low & 255].join(".");
}

/**
 * The key per-client limits count under: an IPv4 address itself, and for
 * IPv6 its /64 (`2001:0db8:0001:0002::/64`), since one subscriber is
 * routinely given a whole /64 and can use any address in it. Anything that
 * is not an address ("unknown") is its own key.
 */
export function limitKeyOf(ip: string): string {
  const address = parseAddress(ip);
  if (!address) return ip;
  if (isIP(address) === 4) return address;
  const [head = "", tail = ""] = address.split("::");
  const groups = (part: string) => (part ? part.split(":") : []);
  const [left, right] = [groups(head), groups(tail)];
  const full = address.includes("::")
    ? [...left, ...Array(8 - left.length - right.length).fill("0"), ...right]
    : left;
  return `${full
    .slice(0, 4)
    .map((g) => g.padStart(4, "0"))
    .join(":")}::/64`;
}

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

/** The address (see parseAddress) and its family, or null. */
function address(raw: string): { ip: string; family: Family } | null {
  const ip = parseAddress(raw);
  return ip ? { ip, family: isIP(ip) === 4 ? "ipv4" : "ipv6" } : null;
}

export function isLocalAddress(raw: string): boolean {
  const a = address(raw);
  return a !== null && LOCAL.check(a.ip, a.family);
}

export function compareNetworks(a: string, b: string): NetworkMatch {
  const [x, y] = [address(a), address(b)];
  if (!x || !y) return "unknown";
  const [localX, localY] = [LOCAL.check(x.ip, x.family), LOCAL.check(y.ip, y.family)];
  if (localX || localY) return localX && localY ? "same" : "different";
  if (x.family !== y.family) return "different";
  const subnet = new BlockList();
  subnet.addSubnet(x.ip, x.family === "ipv4" ? 24 : 64, x.family);
  return subnet.check(y.ip, y.family) ? "same" : "different";
}

import "server-only";
import maxmind, { type Reader, type Response } from "maxmind";
import type { Location } from "../api/shapes";
import { env } from "../env";
import { logger } from "../log";
import { isLocalAddress, parseAddress } from "../net/network";
import { registry } from "../registry";
import { placeOf } from "./record";

/**
 * Where a client address is, roughly: city, region and country from the
 * GeoIP database(s) at GEOIP_DB (read with `maxmind`), or "on your local
 * network" for private and loopback addresses (no database needed). Without
 * a database, or for an address it does not know: undefined, never an error.
 */
export async function locate(ip: string): Promise<Location | undefined> {
  const address = parseAddress(ip);
  if (!address) return undefined;
  if (isLocalAddress(address)) return { local: true };
  for (const reader of await readers()) {
    try {
      const place = placeOf(reader.get(address));
      if (place) return { local: false, ...place };
    } catch {
      // An IPv6 address asked of an IPv4-only file, say: the next file may know it.
    }
  }
  return undefined;
}

/** The databases, opened once per process (a file that cannot be read is logged and left out). */
export async function readers(): Promise<Reader<Response>[]> {
  const r = registry();
  r.geo ??= open(env().GEOIP_DB);
  return r.geo;
}

async function open(paths: string | undefined): Promise<Reader<Response>[]> {
  const files = (paths ?? "")
    .split(",")
    .map((p) => p.trim())
    .filter(Boolean);
  const opened = await Promise.all(
    files.map((file) =>
      maxmind.open(file, { cache: { max: 10_000 } }).catch((error: unknown) => {
        logger().error({ err: String(error), file }, "GEOIP_DB: cannot read this database");
        return null;
      }),
    ),
  );
  return opened.filter((reader) => reader !== null);
}

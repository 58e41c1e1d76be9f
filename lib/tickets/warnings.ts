import "server-only";
import type { ScanWarning } from "../api/shapes";
import { compareNetworks } from "../http/network";
import type { Ticket } from "./machine";

/**
 * Signs that the code on the phone may have been relayed by someone else
 * (QRLJacking), shown prominently before the person approves:
 * - `different_network`: the computer asked from another network than the
 *   phone is on (see compareNetworks; unknown addresses do not warn);
 * - `different_country`: the GeoIP database (lib/geo) puts the computer and
 *   the phone in different countries (Steam's location mismatch; unknown
 *   countries do not warn);
 * - `old_code`: the code was made over a minute before this scan, as when a
 *   photo of it was forwarded.
 */

export const OLD_CODE_MS = 60_000;

export function scanWarnings(
  ticket: Ticket,
  phoneIp: string,
  now: number,
  countries: { requester?: string; phone?: string } = {},
): ScanWarning[] {
  const warnings: ScanWarning[] = [];
  if (compareNetworks(ticket.requester.ip, phoneIp) === "different") {
    warnings.push("different_network");
  }
  const { requester, phone } = countries;
  if (requester && phone && requester !== phone) warnings.push("different_country");
  if (now - ticket.createdAt > OLD_CODE_MS) warnings.push("old_code");
  return warnings;
}

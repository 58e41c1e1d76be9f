import "server-only";
import type { ScanWarning } from "../api/shapes";
import { compareNetworks } from "../net/network";
import { type Lifetimes, qrSlotStart, type Ticket } from "./machine";

/**
 * Signs that the code on the phone may have been relayed by someone else
 * (QRLJacking), shown prominently before the person approves:
 * - `different_network`: the computer asked from another network than the
 *   phone is on (see compareNetworks; unknown addresses do not warn);
 * - `different_country`: the GeoIP database (lib/geo) puts the computer and
 *   the phone in different countries (Steam's location mismatch; unknown
 *   countries do not warn);
 * - `old_code`: the code was on the screen over a minute before this phone
 *   first opened it, as when a photo of it was forwarded (`seenAt`: see
 *   firstSeen; `shownAt`: see codeShownAt; the minute is QRL_OLD_CODE_S).
 */

export const OLD_CODE_MS = 60_000;

export function scanWarnings(
  /** A ticket, or anything else asking to sign in (an app's device grant): its address and birth. */
  ticket: Pick<Ticket, "createdAt"> & { requester: Pick<Ticket["requester"], "ip"> },
  phoneIp: string,
  seenAt: number,
  countries: { requester?: string; phone?: string } = {},
  oldCodeMs = OLD_CODE_MS,
  shownAt: number = ticket.createdAt,
): ScanWarning[] {
  const warnings: ScanWarning[] = [];
  if (compareNetworks(ticket.requester.ip, phoneIp) === "different") {
    warnings.push("different_network");
  }
  const { requester, phone } = countries;
  if (requester && phone && requester !== phone) warnings.push("different_country");
  if (seenAt - shownAt > oldCodeMs) warnings.push("old_code");
  return warnings;
}

/**
 * When the phone first saw the code: when this browser opened its page (the
 * `opened` cookie, for this ticket, not before it was made), else now. A
 * person who first had to sign in on the phone is judged by when they opened
 * the code, not by when they finished signing in.
 */
export function firstSeen(
  ticket: Pick<Ticket, "id" | "createdAt">,
  opened: { id: string; at: number } | null,
  now: number,
): number {
  if (!opened || opened.id !== ticket.id || opened.at < ticket.createdAt) return now;
  return Math.min(opened.at, now);
}

/**
 * When the code the phone holds appeared on the computer's screen: a QR by
 * the slot of the token it carried (a page open for minutes shows a fresh QR
 * every rotation); a code without a genuine token (no rotation) by the
 * ticket's creation. A typed code gets the current slot's token, and only
 * while the computer still follows its ticket (lib/tickets/lookup.ts).
 */
export function codeShownAt(
  ticket: Pick<Ticket, "createdAt">,
  slot: number | null,
  lifetimes: Lifetimes,
) {
  return slot === null ? ticket.createdAt : qrSlotStart(ticket, slot, lifetimes);
}

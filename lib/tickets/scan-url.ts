import "server-only";
import { tickets } from "./index";
import type { Ticket } from "./machine";
import { currentQrToken } from "./qr-token";

/**
 * The URL a ticket's QR encodes now: `{origin}/m/scan/{ticketId}?t={token}`,
 * the token of the current rotation slot (qr-token.ts); without rotation the
 * URL carries none.
 */
export function scanUrlOf(
  origin: string,
  ticket: Pick<Ticket, "id" | "qrKey" | "createdAt">,
  now = Date.now(),
): string {
  const base = `${origin}/m/scan/${ticket.id}`;
  const token = currentQrToken(ticket, now, tickets().lifetimes);
  return token ? `${base}?t=${token}` : base;
}

import type { Ticket } from "./machine";

/**
 * The URL a ticket's QR encodes now: `{origin}/m/scan/{ticketId}`, with
 * `?t={token}` once the QR has rotated (the first QR carries no token, so a
 * v1 scan URL is still what a fresh ticket shows).
 */
export function scanUrlOf(origin: string, ticket: Pick<Ticket, "id" | "qr">): string {
  const base = `${origin}/m/scan/${ticket.id}`;
  return ticket.qr.token ? `${base}?t=${ticket.qr.token}` : base;
}

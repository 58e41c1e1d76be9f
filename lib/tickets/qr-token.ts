import "server-only";
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { type Lifetimes, qrSlotAt, type Ticket } from "./machine";
import { QR_TOKEN } from "./patterns";

/**
 * The QR's rotating token, derived instead of stored: `{slot}.{mac}`, where
 * the MAC is an HMAC-SHA256 of the ticket id and the rotation slot under the
 * ticket's own QR key (96 bits of it, 16 URL-safe characters). Any instance
 * computes the token on screen now, and checks a scanned one, from the
 * ticket alone: a rotation writes nothing, publishes nothing and moves no
 * version. Without rotation the URL carries no token.
 */

/** 16 random bytes: the key a ticket's QR tokens are derived from. */
export const newQrKey = () => randomBytes(16).toString("base64url");

const macOf = (ticket: Pick<Ticket, "id" | "qrKey">, slot: number) =>
  createHmac("sha256", ticket.qrKey)
    .update(`qr:${ticket.id}:${slot}`)
    .digest("base64url")
    .slice(0, 16);

export const qrTokenOf = (ticket: Pick<Ticket, "id" | "qrKey">, slot: number) =>
  `${slot}.${macOf(ticket, slot)}`;

/** The token the QR shows at `now` ("" without rotation: the URL carries none). */
export function currentQrToken(
  ticket: Pick<Ticket, "id" | "qrKey" | "createdAt">,
  now: number,
  lifetimes: Lifetimes,
): string {
  if ((lifetimes.rotationMs ?? 0) <= 0) return "";
  return qrTokenOf(ticket, qrSlotAt(ticket, now, lifetimes));
}

/** The slot a genuine token names; null for no token, a malformed or a forged one. */
export function qrTokenSlot(ticket: Pick<Ticket, "id" | "qrKey">, token: string): number | null {
  const match = QR_TOKEN.exec(token);
  if (!match) return null;
  const slot = Number(match[1]);
  const expected = Buffer.from(macOf(ticket, slot));
  const given = Buffer.from(match[2] ?? "");
  return given.length === expected.length && timingSafeEqual(given, expected) ? slot : null;
}

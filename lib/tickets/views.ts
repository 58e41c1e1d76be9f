import "server-only";
import type { ScannedTicket, TicketApproval, TicketStatus } from "../api/shapes";
import { describeUserAgent } from "../http/request-info";
import { users } from "../users";
import { currentState, type Ticket, type TicketState } from "./machine";
import { scanWarnings } from "./warnings";

const iso = (ms: number) => new Date(ms).toISOString();

/** What the requester's poll sees. The scanner's name is shown once someone scanned. */
export async function statusView(ticket: Ticket, state: TicketState): Promise<TicketStatus> {
  const scanned =
    ticket.userId && (state === "scanned" || state === "confirmed" || state === "consumed");
  const scanner = scanned && ticket.userId ? await users().get(ticket.userId) : null;
  return {
    state,
    version: ticket.version,
    expiresAt: iso(ticket.deadline),
    ...(scanner ? { scanner: { displayName: scanner.displayName } } : {}),
  };
}

/**
 * What the phone sees after scanning: enough to judge whether the request is
 * its own, and `warnings` when it looks relayed (different network, old code
 * by `seenAt`, when the phone first opened it).
 */
export function scanView(
  ticket: Ticket,
  phoneIp: string,
  now = Date.now(),
  seenAt = now,
  oldCodeMs?: number,
): ScannedTicket {
  return {
    ticketId: ticket.id,
    state: currentState(ticket, now),
    userCode: ticket.userCode,
    expiresAt: iso(ticket.deadline),
    requester: {
      ...describeUserAgent(ticket.requester.userAgent),
      ip: ticket.requester.ip,
      createdAt: iso(ticket.createdAt),
    },
    warnings: scanWarnings(ticket, phoneIp, seenAt, oldCodeMs),
  };
}

/** What the phone that scanned the ticket sees while it follows it (`GET …/approval`). */
export function approvalView(ticket: Ticket, state: TicketState): TicketApproval {
  return {
    state,
    version: ticket.version,
    expiresAt: iso(ticket.deadline),
    approved: ticket.sessionId !== undefined || state === "confirmed" || state === "consumed",
    computer: { ...describeUserAgent(ticket.requester.userAgent), ip: ticket.requester.ip },
  };
}

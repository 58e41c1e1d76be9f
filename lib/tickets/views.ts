import "server-only";
import type { Location, ScannedTicket, TicketApproval, TicketStatus } from "../api/shapes";
import { describeUserAgent } from "../net/user-agent";
import { users } from "../users";
import { currentState, type Ticket, type TicketState } from "./machine";
import { scanUrlOf } from "./scan-url";
import { scanWarnings } from "./warnings";

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * What the requester's poll sees. The scanner's name is shown once someone
 * scanned; while pending, the URL the QR should show now (`origin`: where
 * phones reach this app).
 */
export async function statusView(
  ticket: Ticket,
  state: TicketState,
  origin?: () => string,
): Promise<TicketStatus> {
  const scanned =
    ticket.userId && (state === "scanned" || state === "confirmed" || state === "consumed");
  const scanner = scanned && ticket.userId ? await users().get(ticket.userId) : null;
  // The question "Continue as …?" names the account fully (as Google's does).
  const ask = state === "confirmed" && ticket.continueRequired === true;
  return {
    state,
    version: ticket.version,
    expiresAt: iso(ticket.deadline),
    ...(scanner
      ? {
          scanner: {
            displayName: scanner.displayName,
            ...(ask ? { username: scanner.username } : {}),
          },
        }
      : {}),
    ...(ask ? { continueRequired: true } : {}),
    ...(state === "pending" && origin ? { scanUrl: scanUrlOf(origin(), ticket) } : {}),
  };
}

/** What the scan route learnt beside the ticket: where both sides are, and whether this browser is known. */
export interface ScanContext {
  requesterAt?: Location;
  phoneAt?: Location;
  signedInBefore?: boolean;
  /** When this phone first opened the code (see firstSeen); the scan's time without it. */
  seenAt?: number;
  /** When the code the phone scanned appeared on the screen (its QR's slot; see codeShownAt). */
  shownAt?: number;
  /** The "old code" threshold (QRL_OLD_CODE_S). */
  oldCodeMs?: number;
}

/**
 * What the phone sees after scanning: enough to judge whether the request is
 * its own, and `warnings` when it looks relayed (different network, old code
 * by `seenAt`, when the phone first opened it).
 */
export function scanView(
  ticket: Ticket,
  phoneIp: string,
  context: ScanContext = {},
  now = Date.now(),
): ScannedTicket {
  return {
    ticketId: ticket.id,
    state: currentState(ticket, now),
    ...(ticket.app ? { app: ticket.app } : {}),
    userCode: ticket.userCode,
    expiresAt: iso(ticket.deadline),
    requester: {
      ...describeUserAgent(ticket.requester.userAgent),
      ip: ticket.requester.ip,
      createdAt: iso(ticket.createdAt),
      ...(context.requesterAt ? { location: context.requesterAt } : {}),
      ...(context.signedInBefore === undefined ? {} : { signedInBefore: context.signedInBefore }),
    },
    warnings: scanWarnings(
      ticket,
      phoneIp,
      context.seenAt ?? now,
      { requester: context.requesterAt?.country, phone: context.phoneAt?.country },
      context.oldCodeMs,
      context.shownAt,
    ),
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
    ...(state === "confirmed" && ticket.continueRequired ? { continueRequired: true } : {}),
    ...(ticket.refused ? { refused: true } : {}),
  };
}

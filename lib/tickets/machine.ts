/**
 * The ticket state machine, written once and free of I/O: given a ticket, an
 * action and the time, it decides the next ticket or the error. The stores
 * only make "read, decide, write if unchanged" atomic (see service.ts).
 *
 *   pending ──scan──▶ scanned ──confirm──▶ confirmed ──claim──▶ consumed
 *      │                 ├──deny──▶ denied
 *      └──cancel─────────┴──cancel──▶ cancelled
 *   any non-final state past its deadline reads as expired
 */

export const TICKET_STATES = [
  "pending",
  "scanned",
  "confirmed",
  "consumed",
  "denied",
  "cancelled",
  "expired",
] as const;

export type TicketState = (typeof TICKET_STATES)[number];

export interface Ticket {
  id: string;
  state: TicketState;
  /** +1 on every change: the long-poll cursor and the compare-and-set guard. */
  version: number;
  bindingHash: string;
  userCode: string;
  createdAt: number;
  /** When the current state runs out (non-final states), or when the record goes (final ones). */
  deadline: number;
  /** createdAt + the overall maximum: no state outlives it. */
  limit: number;
  requester: { ip: string; userAgent: string };
  /** Set by the first scan; only this user may confirm or deny. */
  userId?: string;
  /** Set by confirm: the id of the computer session a claim makes, and the phone session that approved. */
  sessionId?: string;
  approvedBy?: string;
  /** Set by the claim: the computer session's record (JSON), which lives as long as the session. */
  session?: string;
}

export interface Lifetimes {
  pendingMs: number;
  scannedMs: number;
  confirmedMs: number;
  maxMs: number;
  /** How long a final or expired ticket stays readable. */
  tombstoneMs: number;
}

export type Action =
  | { type: "scan"; userId: string }
  | { type: "confirm"; userId: string; sessionId?: string; approvedBy?: string }
  | { type: "deny"; userId: string }
  | { type: "cancel" }
  | { type: "claim"; session?: { record: string; expiresAt: number } };

export type TicketError = "expired" | "already_scanned" | "not_scanner" | "invalid_state";

export type Decision =
  | { ok: true; changed: false; ticket: Ticket }
  | { ok: true; changed: true; ticket: Ticket; expireAt: number }
  | { ok: false; error: TicketError; ticket: Ticket };

type Rule = { from: readonly TicketState[]; to: TicketState; lifetime?: keyof Lifetimes };

/** The whole transition table. A state with no `lifetime` is final. */
const RULES: Record<Action["type"], Rule> = {
  scan: { from: ["pending"], to: "scanned", lifetime: "scannedMs" },
  confirm: { from: ["scanned"], to: "confirmed", lifetime: "confirmedMs" },
  deny: { from: ["scanned"], to: "denied" },
  cancel: { from: ["pending", "scanned"], to: "cancelled" },
  claim: { from: ["confirmed"], to: "consumed" },
};

const FINAL: ReadonlySet<TicketState> = new Set(["consumed", "denied", "cancelled", "expired"]);

export const isFinal = (state: TicketState) => FINAL.has(state);

/** The state as a reader sees it: a non-final state past its deadline is expired. */
export function currentState(ticket: Ticket, now: number): TicketState {
  return !isFinal(ticket.state) && now >= ticket.deadline ? "expired" : ticket.state;
}

/** A new pending ticket and when its record expires. */
export function newTicket(
  fields: Omit<Ticket, "state" | "version" | "deadline" | "limit" | "createdAt" | "userId">,
  now: number,
  lifetimes: Lifetimes,
): { ticket: Ticket; expireAt: number } {
  const limit = now + lifetimes.maxMs;
  const deadline = Math.min(now + lifetimes.pendingMs, limit);
  const ticket: Ticket = {
    ...fields,
    state: "pending",
    version: 1,
    createdAt: now,
    deadline,
    limit,
  };
  return { ticket, expireAt: deadline + lifetimes.tombstoneMs };
}

export function decide(
  ticket: Ticket,
  action: Action,
  now: number,
  lifetimes: Lifetimes,
): Decision {
  const state = currentState(ticket, now);
  const fail = (error: TicketError): Decision => ({ ok: false, error, ticket });

  if (state === "expired") return fail("expired");

  if ("userId" in action && ticket.userId !== undefined && ticket.userId !== action.userId) {
    return fail(action.type === "scan" ? "already_scanned" : "not_scanner");
  }
  // A repeated scan by the same user changes nothing and succeeds (the phone may reload).
  if (action.type === "scan" && state === "scanned") return { ok: true, changed: false, ticket };
  // A repeated confirm by the scanner too: its first answer may have been lost with an
  // instance (a crash, a proxy timeout) after the change was written, and the desktop
  // may have claimed since. The person approved once; the retry tells them so.
  if (action.type === "confirm" && (state === "confirmed" || state === "consumed")) {
    return { ok: true, changed: false, ticket };
  }

  const rule = RULES[action.type];
  if (!rule.from.includes(state)) return fail("invalid_state");

  const deadline = rule.lifetime
    ? Math.min(now + lifetimes[rule.lifetime], ticket.limit)
    : now + lifetimes.tombstoneMs;
  const next: Ticket = {
    ...ticket,
    state: rule.to,
    version: ticket.version + 1,
    deadline,
    userId: action.type === "scan" ? action.userId : ticket.userId,
    ...(action.type === "confirm" && action.sessionId
      ? { sessionId: action.sessionId, approvedBy: action.approvedBy }
      : {}),
    ...(action.type === "claim" && action.session ? { session: action.session.record } : {}),
  };
  // A consumed ticket holds its computer session's record: it stays as long as the session.
  const keepFor = action.type === "claim" ? (action.session?.expiresAt ?? 0) : 0;
  const expireAt = rule.lifetime ? deadline + lifetimes.tombstoneMs : Math.max(deadline, keepFor);
  return { ok: true, changed: true, ticket: next, expireAt };
}

/**
 * The ticket state machine, written once and free of I/O: given a ticket, an
 * action and the time, it decides the next ticket or the error. The stores
 * only make "read, decide, write if unchanged" atomic (see service.ts).
 *
 *   pending ──scan──▶ scanned ──confirm──▶ confirmed ──claim──▶ consumed
 *      │                 ├──deny──▶ denied
 *      └──cancel─────────┴──cancel──▶ cancelled
 *   any non-final state past its deadline reads as expired
 *
 * While pending, the QR's token rotates (rotationDue / rotate): the ticket,
 * its binding and its deadline stay; only the token the QR's URL carries
 * changes, and a scan must present a token that is still accepted.
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
  /**
   * The QR's token: "" for the first QR (its URL carries none), then a new
   * random one on each rotation, with the one it replaced and when.
   */
  qr: QrToken;
  /** SHA-256 of the desktop's device cookie (lib/devices), when it had one. */
  deviceHash?: string;
}

export interface QrToken {
  token: string;
  /** The token this one replaced (undefined before the first rotation). */
  previous?: string;
  /** When `token` was issued (the ticket's creation for the first). */
  issuedAt: number;
}

export interface Lifetimes {
  pendingMs: number;
  scannedMs: number;
  confirmedMs: number;
  maxMs: number;
  /** How long a final or expired ticket stays readable. */
  tombstoneMs: number;
  /** A pending ticket's QR token is replaced this often; 0 or absent: never. */
  rotationMs?: number;
  /** How long a replaced token still scans (the phone was already opening it). */
  rotationGraceMs?: number;
}

export type Action =
  | {
      type: "scan";
      userId: string;
      /** The token the scanned QR carried ("" or absent: none). */
      qrToken?: string;
    }
  | {
      type: "rotate";
      token: string;
      /** Replace it even when not due (the typed-code path). */
      force?: boolean;
    }
  | { type: "confirm"; userId: string; sessionId?: string; approvedBy?: string }
  | { type: "deny"; userId: string }
  | { type: "cancel" }
  | { type: "claim"; session?: { record: string; expiresAt: number } };

export type TicketError =
  | "expired"
  | "already_scanned"
  | "not_scanner"
  | "invalid_state"
  | "qr_replaced";

export type Decision =
  | { ok: true; changed: false; ticket: Ticket }
  | { ok: true; changed: true; ticket: Ticket; expireAt: number }
  | { ok: false; error: TicketError; ticket: Ticket };

type Rule = {
  from: readonly TicketState[];
  to: TicketState;
  lifetime?: "pendingMs" | "scannedMs" | "confirmedMs";
};

/** The whole transition table (rotation, which changes no state, is decided in rotate()). A state with no `lifetime` is final. */
const RULES: Record<Exclude<Action["type"], "rotate">, Rule> = {
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
  fields: Omit<Ticket, "state" | "version" | "deadline" | "limit" | "createdAt" | "userId" | "qr">,
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
    qr: { token: "", issuedAt: now },
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
  if (action.type === "rotate") return rotate(ticket, action, state, now, lifetimes);

  if ("userId" in action && ticket.userId !== undefined && ticket.userId !== action.userId) {
    return fail(action.type === "scan" ? "already_scanned" : "not_scanner");
  }
  // A repeated scan by the same user changes nothing and succeeds (the phone may reload).
  if (action.type === "scan" && state === "scanned") return { ok: true, changed: false, ticket };

  const rule = RULES[action.type];
  if (!rule.from.includes(state)) return fail("invalid_state");
  if (action.type === "scan" && !qrTokenAccepted(ticket, action.qrToken ?? "", now, lifetimes)) {
    return fail("qr_replaced");
  }

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

/** True when a pending ticket's QR should be replaced now. */
export function rotationDue(ticket: Ticket, now: number, lifetimes: Lifetimes): boolean {
  const every = lifetimes.rotationMs ?? 0;
  return every > 0 && currentState(ticket, now) === "pending" && now >= ticket.qr.issuedAt + every;
}

/** When the current QR should be replaced (Infinity without rotation). */
export function nextRotationAt(ticket: Ticket, lifetimes: Lifetimes): number {
  const every = lifetimes.rotationMs ?? 0;
  return every > 0 ? ticket.qr.issuedAt + every : Number.POSITIVE_INFINITY;
}

/**
 * Whether a scan presenting `token` may go on: the current token while it is
 * not overdue for replacement (plus the grace period, so a page that stopped
 * polling cannot keep an old QR alive), or the token it replaced within the
 * grace period. Anything else is a replaced (relayed, photographed) QR.
 */
export function qrTokenAccepted(ticket: Ticket, token: string, now: number, lifetimes: Lifetimes) {
  const every = lifetimes.rotationMs ?? 0;
  if (every <= 0) return true;
  const grace = lifetimes.rotationGraceMs ?? 0;
  const { qr } = ticket;
  if (token === qr.token) return now < qr.issuedAt + every + grace;
  return qr.previous !== undefined && token === qr.previous && now < qr.issuedAt + grace;
}

/** A new QR token for a pending ticket whose current one is due; anything else is left as it is. */
function rotate(
  ticket: Ticket,
  { token, force }: { token: string; force?: boolean },
  state: TicketState,
  now: number,
  lifetimes: Lifetimes,
): Decision {
  if (state !== "pending" || !(force || rotationDue(ticket, now, lifetimes))) {
    return { ok: true, changed: false, ticket };
  }
  // A token already past its own time (the page had stopped polling) gets no grace after it.
  const stillAccepted = qrTokenAccepted(ticket, ticket.qr.token, now, lifetimes);
  const next: Ticket = {
    ...ticket,
    version: ticket.version + 1,
    qr: { token, ...(stillAccepted ? { previous: ticket.qr.token } : {}), issuedAt: now },
  };
  return {
    ok: true,
    changed: true,
    ticket: next,
    expireAt: ticket.deadline + lifetimes.tombstoneMs,
  };
}

/**
 * The ticket state machine, written once and free of I/O: given a ticket, an
 * action and the time, it decides the next ticket or the error. The stores
 * only make "read, decide, write if unchanged" atomic (see service.ts).
 *
 *   pending ──scan──▶ scanned ──confirm──▶ confirmed ──claim──▶ consumed
 *      │                 ├──deny──▶ denied       │
 *      └──cancel─────────┴──cancel──▶ cancelled ◀──refuse ("This isn't me")
 *   any non-final state past its deadline reads as expired
 *
 * An account that never signed in from the desktop's browser is confirmed
 * with `continueRequired`: its claim must say the person at the computer
 * chose to continue as that account (`continued`), or the person refuses it.
 * A known account is claimed at once. Nobody is signed in to an account by
 * someone else's approval without a word (login CSRF).
 *
 * While pending, the QR rotates without any write: the token its URL carries
 * is derived from the ticket's QR key and the rotation slot (qr-token.ts), so
 * the QR on screen changes every rotation period while the ticket, its
 * version, binding and deadline stay. A scan must present a token whose slot
 * is still accepted (qrSlotAccepted).
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
   * The key the QR's tokens are derived from (an HMAC over the ticket id and
   * the rotation slot, lib/tickets/qr-token.ts). Never leaves the server.
   */
  qrKey: string;
  /** SHA-256 of the desktop's device cookie (lib/devices), when it had one. */
  deviceHash?: string;
  /**
   * Set by confirm when the approving account never signed in from this
   * browser: the claim needs the person at the computer to continue as it.
   */
  continueRequired?: boolean;
  /** Set by refuse: the person at the computer said the account is not theirs. */
  refused?: boolean;
  /** The app the computer signs in to through the OpenID Provider (its client name), when it does. */
  app?: string;
}

export interface Lifetimes {
  pendingMs: number;
  scannedMs: number;
  confirmedMs: number;
  maxMs: number;
  /** How long a final or expired ticket stays readable. */
  tombstoneMs: number;
  /** A pending ticket's QR changes this often (a new slot); 0 or absent: never. */
  rotationMs?: number;
  /** How long a slot's token still scans after its slot ended (the phone was already opening it). */
  rotationGraceMs?: number;
}

export type Action =
  | {
      type: "scan";
      userId: string;
      /**
       * The rotation slot of the token the scanned QR carried, as its MAC
       * proved it (qr-token.ts); null: no token or a forged one.
       */
      qrSlot?: number | null;
      /** When this phone browser first opened the ticket's page (the `opened` cookie), if it did. */
      openedAt?: number;
    }
  | {
      type: "confirm";
      userId: string;
      sessionId?: string;
      approvedBy?: string;
      /** The account never signed in from the desktop's browser: ask before the claim. */
      continueRequired?: boolean;
    }
  | { type: "deny"; userId: string }
  | { type: "cancel" }
  /** The requester: "This isn't me" to the account that approved. */
  | { type: "refuse" }
  | {
      type: "claim";
      session?: { record: string; expiresAt: number };
      /** The person at the computer chose to continue as the approving account. */
      continued?: boolean;
    };

export type TicketError =
  | "expired"
  | "already_scanned"
  | "not_scanner"
  | "invalid_state"
  | "qr_replaced"
  | "continue_required";

export type Decision =
  | { ok: true; changed: false; ticket: Ticket }
  | { ok: true; changed: true; ticket: Ticket; expireAt: number }
  | { ok: false; error: TicketError; ticket: Ticket };

type Rule = {
  from: readonly TicketState[];
  to: TicketState;
  lifetime?: "pendingMs" | "scannedMs" | "confirmedMs";
};

/** The whole transition table. A state with no `lifetime` is final. */
const RULES: Record<Action["type"], Rule> = {
  scan: { from: ["pending"], to: "scanned", lifetime: "scannedMs" },
  confirm: { from: ["scanned"], to: "confirmed", lifetime: "confirmedMs" },
  deny: { from: ["scanned"], to: "denied" },
  cancel: { from: ["pending", "scanned"], to: "cancelled" },
  refuse: { from: ["confirmed"], to: "cancelled" },
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

  // A repeated claim by the same browser (the binding was checked) while the claim is
  // recent: the first claim's answer may never have reached it (a store stall after the
  // write, a lost response), so the session its ticket holds is delivered again, never a
  // second one. Nothing changes; past the window (or once signed out) it is refused.
  if (action.type === "claim" && state === "consumed" && ticket.session) {
    return now < redeliverUntil(ticket, lifetimes)
      ? { ok: true, changed: false, ticket }
      : fail("invalid_state");
  }

  const rule = RULES[action.type];
  if (!rule.from.includes(state)) return fail("invalid_state");
  if (
    action.type === "scan" &&
    !qrSlotAccepted(ticket, action.qrSlot ?? null, now, lifetimes, action.openedAt)
  ) {
    return fail("qr_replaced");
  }
  if (action.type === "claim" && ticket.continueRequired && !action.continued) {
    return fail("continue_required");
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
    ...(action.type === "confirm" && action.continueRequired ? { continueRequired: true } : {}),
    ...(action.type === "refuse" ? { refused: true } : {}),
    ...(action.type === "claim" && action.session ? { session: action.session.record } : {}),
  };
  // A consumed ticket holds its computer session's record: it stays as long as the session.
  const keepFor = action.type === "claim" ? (action.session?.expiresAt ?? 0) : 0;
  const expireAt = rule.lifetime ? deadline + lifetimes.tombstoneMs : Math.max(deadline, keepFor);
  return { ok: true, changed: true, ticket: next, expireAt };
}

/**
 * Until when a consumed ticket's session is delivered again to the browser that
 * claimed it: a confirmed window (QRL_CONFIRMED_TTL_S) from the claim, which is
 * its deadline less the tombstone time (the claim set it so). That outlasts the
 * confirmed deadline the login page retries the claim within.
 */
export function redeliverUntil(ticket: Pick<Ticket, "deadline">, lifetimes: Lifetimes): number {
  return ticket.deadline - lifetimes.tombstoneMs + lifetimes.confirmedMs;
}

/** The QR's rotation slot at `now` (0 without rotation): slot n runs from createdAt + n × rotationMs. */
export function qrSlotAt(ticket: Pick<Ticket, "createdAt">, now: number, lifetimes: Lifetimes) {
  const every = lifetimes.rotationMs ?? 0;
  return every > 0 ? Math.max(0, Math.floor((now - ticket.createdAt) / every)) : 0;
}

/** When `slot` begins: its QR appeared on the screen then. */
export function qrSlotStart(ticket: Pick<Ticket, "createdAt">, slot: number, lifetimes: Lifetimes) {
  return ticket.createdAt + slot * (lifetimes.rotationMs ?? 0);
}

/**
 * When a waiting desktop's QR changes next: the next slot's start while the
 * ticket is pending; never (Infinity) once anything else happened to it, or
 * without rotation. The requester's long-poll answers then, with the new QR.
 */
export function nextRotationAt(ticket: Ticket, now: number, lifetimes: Lifetimes): number {
  const every = lifetimes.rotationMs ?? 0;
  if (every <= 0 || currentState(ticket, now) !== "pending") return Number.POSITIVE_INFINITY;
  return qrSlotStart(ticket, qrSlotAt(ticket, now, lifetimes) + 1, lifetimes);
}

/** Slack for clocks of instances that disagree a little: a token this far in the future still counts. */
const CLOCK_SKEW_MS = 2_000;

/**
 * Whether a scan presenting a token of `slot` may go on. Without rotation,
 * any. Otherwise the token must be genuine (`slot` not null), not from the
 * future, and either still scannable now (its slot, then the grace period
 * while the phone was already opening it) or opened by this phone browser
 * while it was: a person who first had to sign in on the phone keeps the
 * request they opened, for the ticket's whole life (`openedAt`, the phone's
 * own cookie, which someone relaying the code cannot set). A QR past that is
 * a replaced (relayed, photographed) one.
 */
export function qrSlotAccepted(
  ticket: Pick<Ticket, "createdAt">,
  slot: number | null,
  now: number,
  lifetimes: Lifetimes,
  openedAt?: number,
): boolean {
  const every = lifetimes.rotationMs ?? 0;
  if (every <= 0) return true;
  if (slot === null || slot > qrSlotAt(ticket, now + CLOCK_SKEW_MS, lifetimes)) return false;
  const until = qrSlotStart(ticket, slot + 1, lifetimes) + (lifetimes.rotationGraceMs ?? 0);
  if (now < until) return true;
  return openedAt !== undefined && openedAt >= ticket.createdAt && openedAt < until;
}

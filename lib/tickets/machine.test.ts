import { describe, expect, it } from "vitest";
import {
  type Action,
  currentState,
  decide,
  type Lifetimes,
  newTicket,
  type Ticket,
  type TicketError,
  type TicketState,
} from "./machine";

/**
 * Every (state × action × actor) the machine can meet, with the outcome
 * written out here as data, not read from the transition table it checks.
 * Lifetimes are all different, so a deadline taken from the wrong one shows.
 */
const LIFETIMES: Lifetimes = {
  pendingMs: 120_000,
  scannedMs: 60_000,
  confirmedMs: 30_000,
  maxMs: 600_000,
  tombstoneMs: 7_000,
};

const CREATED = 1_700_000_000_000;
const NOW = CREATED + 20_000;
const SCANNER = "demo-alice";
const OTHER = "demo-bob";

/** A ticket as the store would hold it, `NOW` falling inside its current state. */
function ticket(state: TicketState, userId: string | undefined, deadline = NOW + 5_000): Ticket {
  return {
    id: "AAAAAAAAAAAAAAAAAAAAAAAA",
    state,
    version: 4,
    bindingHash: "binding-hash",
    userCode: "BCDF-GHJK",
    createdAt: CREATED,
    deadline,
    limit: CREATED + LIFETIMES.maxMs,
    requester: { ip: "203.0.113.5", userAgent: "test" },
    qrKey: "qr-key",
    ...(userId === undefined ? {} : { userId }),
  };
}

/** A non-final ticket whose deadline has passed. */
const lapsed = (state: TicketState, userId?: string) => ticket(state, userId, NOW - 1);

const ROWS = {
  pending: ticket("pending", undefined),
  scanned: ticket("scanned", SCANNER),
  confirmed: ticket("confirmed", SCANNER),
  // Approved by an account that never signed in from the desktop's browser: "Continue as …?"
  "confirmed, asking the computer": { ...ticket("confirmed", SCANNER), continueRequired: true },
  consumed: ticket("consumed", SCANNER),
  // Claimed a second ago (its tombstone deadline set then), its session's record in the ticket.
  "consumed just now, holding its session": {
    ...ticket("consumed", SCANNER, NOW - 1_000 + LIFETIMES.tombstoneMs),
    session: "{}",
  },
  // Claimed a confirmed window ago: past re-delivery.
  "consumed a while ago, holding its session": {
    ...ticket("consumed", SCANNER, NOW - LIFETIMES.confirmedMs + LIFETIMES.tombstoneMs),
    session: "{}",
  },
  denied: ticket("denied", SCANNER),
  "cancelled while pending": ticket("cancelled", undefined),
  "cancelled after the scan": ticket("cancelled", SCANNER),
  "expired while pending": lapsed("pending"),
  "expired while scanned": lapsed("scanned", SCANNER),
  "expired while confirmed": lapsed("confirmed", SCANNER),
  "stored as expired": ticket("expired", undefined),
} satisfies Record<string, Ticket>;

const COLUMNS = {
  "scan by the scanner": { type: "scan", userId: SCANNER },
  "scan by another user": { type: "scan", userId: OTHER },
  "confirm by the scanner": { type: "confirm", userId: SCANNER },
  "confirm by another user": { type: "confirm", userId: OTHER },
  "deny by the scanner": { type: "deny", userId: SCANNER },
  "deny by another user": { type: "deny", userId: OTHER },
  "cancel by the requester": { type: "cancel" },
  "refuse by the requester": { type: "refuse" },
  "claim by the requester": { type: "claim" },
  "claim after Continue": { type: "claim", continued: true },
} satisfies Record<string, Action>;

/** `to <state>`: a change to that state; `unchanged`: success, nothing written; else the error. */
type Outcome = `to ${TicketState}` | "unchanged" | TicketError;

type Row = Record<keyof typeof COLUMNS, Outcome>;

/** The same refusals for any final state once someone has scanned it. */
const FINAL_AFTER_SCAN: Row = {
  "scan by the scanner": "invalid_state",
  "scan by another user": "already_scanned",
  "confirm by the scanner": "invalid_state",
  "confirm by another user": "not_scanner",
  "deny by the scanner": "invalid_state",
  "deny by another user": "not_scanner",
  "cancel by the requester": "invalid_state",
  "refuse by the requester": "invalid_state",
  "claim by the requester": "invalid_state",
  "claim after Continue": "invalid_state",
};

const EVERYTHING_EXPIRED: Row = {
  "scan by the scanner": "expired",
  "scan by another user": "expired",
  "confirm by the scanner": "expired",
  "confirm by another user": "expired",
  "deny by the scanner": "expired",
  "deny by another user": "expired",
  "cancel by the requester": "expired",
  "refuse by the requester": "expired",
  "claim by the requester": "expired",
  "claim after Continue": "expired",
};

const EXPECTED: Record<keyof typeof ROWS, Row> = {
  // Nobody has scanned yet: "the scanner" is simply the first user to scan.
  pending: {
    "scan by the scanner": "to scanned",
    "scan by another user": "to scanned",
    "confirm by the scanner": "invalid_state",
    "confirm by another user": "invalid_state",
    "deny by the scanner": "invalid_state",
    "deny by another user": "invalid_state",
    "cancel by the requester": "to cancelled",
    "refuse by the requester": "invalid_state",
    "claim by the requester": "invalid_state",
    "claim after Continue": "invalid_state",
  },
  scanned: {
    "scan by the scanner": "unchanged",
    "scan by another user": "already_scanned",
    "confirm by the scanner": "to confirmed",
    "confirm by another user": "not_scanner",
    "deny by the scanner": "to denied",
    "deny by another user": "not_scanner",
    "cancel by the requester": "to cancelled",
    "refuse by the requester": "invalid_state",
    "claim by the requester": "invalid_state",
    "claim after Continue": "invalid_state",
  },
  confirmed: {
    "scan by the scanner": "invalid_state",
    "scan by another user": "already_scanned",
    // A confirm retried after its answer was lost (an instance died) must not become an error.
    "confirm by the scanner": "unchanged",
    "confirm by another user": "not_scanner",
    "deny by the scanner": "invalid_state",
    "deny by another user": "not_scanner",
    "cancel by the requester": "invalid_state",
    "refuse by the requester": "to cancelled",
    "claim by the requester": "to consumed",
    "claim after Continue": "to consumed",
  },
  "confirmed, asking the computer": {
    "scan by the scanner": "invalid_state",
    "scan by another user": "already_scanned",
    "confirm by the scanner": "unchanged",
    "confirm by another user": "not_scanner",
    "deny by the scanner": "invalid_state",
    "deny by another user": "not_scanner",
    "cancel by the requester": "invalid_state",
    // "This isn't me": never claimed.
    "refuse by the requester": "to cancelled",
    // Not without the person at the computer choosing to continue as this account.
    "claim by the requester": "continue_required",
    "claim after Continue": "to consumed",
  },
  // ...even when the desktop claimed in between: the approval stands.
  consumed: { ...FINAL_AFTER_SCAN, "confirm by the scanner": "unchanged" },
  // A claim retried by the same browser (its answer lost, e.g. a store stall after the write):
  // the same session again, nothing written; never a second one.
  "consumed just now, holding its session": {
    ...FINAL_AFTER_SCAN,
    "confirm by the scanner": "unchanged",
    "claim by the requester": "unchanged",
    "claim after Continue": "unchanged",
  },
  "consumed a while ago, holding its session": {
    ...FINAL_AFTER_SCAN,
    "confirm by the scanner": "unchanged",
  },
  denied: FINAL_AFTER_SCAN,
  "cancelled while pending": {
    "scan by the scanner": "invalid_state",
    "scan by another user": "invalid_state",
    "confirm by the scanner": "invalid_state",
    "confirm by another user": "invalid_state",
    "deny by the scanner": "invalid_state",
    "deny by another user": "invalid_state",
    "cancel by the requester": "invalid_state",
    "refuse by the requester": "invalid_state",
    "claim by the requester": "invalid_state",
    "claim after Continue": "invalid_state",
  },
  "cancelled after the scan": FINAL_AFTER_SCAN,
  "expired while pending": EVERYTHING_EXPIRED,
  "expired while scanned": EVERYTHING_EXPIRED,
  "expired while confirmed": EVERYTHING_EXPIRED,
  "stored as expired": EVERYTHING_EXPIRED,
};

/** The lifetime each state reached by a change runs for; final states keep a tombstone. */
const LIFETIME_OF: Partial<Record<TicketState, number>> = {
  scanned: LIFETIMES.scannedMs,
  confirmed: LIFETIMES.confirmedMs,
};

const entries = <K extends string, V>(record: Record<K, V>) => Object.entries(record) as [K, V][];

describe("ticket state machine: every state × action × actor", () => {
  for (const [rowName, before] of entries(ROWS)) {
    for (const [columnName, action] of entries(COLUMNS)) {
      const expected = EXPECTED[rowName][columnName];
      it(`${rowName}: ${columnName} → ${expected}`, () => {
        const snapshot = structuredClone(before);
        const decision = decide(before, action, NOW, LIFETIMES);
        expect(before, "decide() must not modify its input").toEqual(snapshot);

        if (expected === "unchanged") {
          expect(decision).toEqual({ ok: true, changed: false, ticket: before });
          return;
        }
        if (!expected.startsWith("to ")) {
          expect(decision).toEqual({ ok: false, error: expected, ticket: before });
          return;
        }

        const to = expected.slice(3) as TicketState;
        expect(decision).toMatchObject({ ok: true, changed: true });
        if (!decision.ok || !decision.changed) return;
        const lifetime = LIFETIME_OF[to];
        const deadline =
          lifetime === undefined
            ? NOW + LIFETIMES.tombstoneMs
            : Math.min(NOW + lifetime, before.limit);
        expect(decision.ticket).toEqual({
          ...before,
          state: to,
          version: before.version + 1,
          deadline,
          // The first scan binds the ticket to its user; nothing else changes who it is bound to.
          ...(action.type === "scan" ? { userId: action.userId } : {}),
          // Refused: the ticket says so (the approving phone is told).
          ...(action.type === "refuse" ? { refused: true } : {}),
        });
        expect(decision.expireAt).toBe(
          lifetime === undefined ? deadline : deadline + LIFETIMES.tombstoneMs,
        );
        if (lifetime !== undefined)
          expect(decision.ticket.deadline).toBeLessThanOrEqual(before.limit);
      });
    }
  }

  it("covers every state the type knows, and every action", () => {
    const states = new Set(Object.values(ROWS).map((t) => currentState(t, NOW)));
    expect([...states].sort()).toEqual(
      ["cancelled", "confirmed", "consumed", "denied", "expired", "pending", "scanned"].sort(),
    );
    const actions = new Set(Object.values(COLUMNS).map((a) => a.type));
    expect([...actions].sort()).toEqual(["cancel", "claim", "confirm", "deny", "refuse", "scan"]);
  });
});

describe("an account new to the desktop's browser", () => {
  it("is confirmed with continueRequired (the confirmed lifetime: the computer answers within it)", () => {
    const decision = decide(
      ticket("scanned", SCANNER),
      { type: "confirm", userId: SCANNER, continueRequired: true },
      NOW,
      LIFETIMES,
    );
    expect(decision).toMatchObject({
      ok: true,
      changed: true,
      ticket: { state: "confirmed", continueRequired: true, deadline: NOW + LIFETIMES.confirmedMs },
    });
    const known = decide(
      ticket("scanned", SCANNER),
      { type: "confirm", userId: SCANNER, continueRequired: false },
      NOW,
      LIFETIMES,
    );
    expect(known.ticket.continueRequired).toBeUndefined();
    expect(known).toMatchObject({ ticket: { deadline: NOW + LIFETIMES.confirmedMs } });
  });
});

describe("ticket deadlines", () => {
  it("reads a non-final state as expired from its deadline on, a final one never", () => {
    const pending = ticket("pending", undefined, NOW);
    expect(currentState(pending, NOW - 1)).toBe("pending");
    expect(currentState(pending, NOW)).toBe("expired");
    expect(decide(pending, { type: "cancel" }, NOW, LIFETIMES)).toMatchObject({
      ok: false,
      error: "expired",
    });
    const consumed = ticket("consumed", SCANNER, NOW);
    expect(currentState(consumed, NOW + 60_000)).toBe("consumed");
  });

  it("never lets a state outlive the ticket's limit", () => {
    const near = CREATED + LIFETIMES.maxMs - 5_000;
    const scan = decide(
      ticket("pending", undefined, near + 1_000),
      { type: "scan", userId: SCANNER },
      near,
      LIFETIMES,
    );
    expect(scan).toMatchObject({
      ok: true,
      changed: true,
      ticket: { state: "scanned", deadline: CREATED + LIFETIMES.maxMs },
      expireAt: CREATED + LIFETIMES.maxMs + LIFETIMES.tombstoneMs,
    });
    const confirm = decide(
      ticket("scanned", SCANNER, near + 1_000),
      { type: "confirm", userId: SCANNER },
      near,
      LIFETIMES,
    );
    expect(confirm).toMatchObject({
      ok: true,
      changed: true,
      ticket: { state: "confirmed", deadline: CREATED + LIFETIMES.maxMs },
    });
  });

  it("creates a pending ticket at version 1 with the pending lifetime, capped by the limit", () => {
    const fields = {
      id: "t",
      bindingHash: "h",
      userCode: "BCDF-GHJK",
      requester: { ip: "", userAgent: "" },
      qrKey: "qr-key",
    };
    const { ticket: created, expireAt } = newTicket(fields, NOW, LIFETIMES);
    expect(created).toEqual({
      ...fields,
      state: "pending",
      version: 1,
      createdAt: NOW,
      deadline: NOW + LIFETIMES.pendingMs,
      limit: NOW + LIFETIMES.maxMs,
    });
    expect(expireAt).toBe(NOW + LIFETIMES.pendingMs + LIFETIMES.tombstoneMs);

    const short = newTicket(fields, NOW, { ...LIFETIMES, maxMs: 50_000 });
    expect(short.ticket.deadline).toBe(NOW + 50_000);
    expect(short.ticket.limit).toBe(NOW + 50_000);
  });
});

import "server-only";
import { audit } from "../log";
import { keys } from "../store/keys";
import type { KvStore } from "../store/kv";
import { changedFields, fromHash, toHash } from "./codec";
import { matchesHash, newBindingSecret, newTicketId, newUserCode, sha256 } from "./ids";
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
import { currentQrToken, newQrKey, qrTokenSlot } from "./qr-token";

export type TicketErrorCode = TicketError | "not_found" | "conflict";

export class TicketActionError extends Error {
  override name = "TicketActionError";
  constructor(
    readonly code: TicketErrorCode,
    /** The ticket's state when the action was refused (for invalid_state). */
    readonly state?: TicketState,
  ) {
    super(code);
  }
  /** By name, as StoreUnavailableError.is (bundles may hold two copies of the class). */
  static is(error: unknown): error is TicketActionError {
    return error instanceof Error && error.name === "TicketActionError";
  }
}

/** What a confirm names: the computer session a claim makes, and the phone session that approved. */
export type ConfirmSession = { sessionId: string; approvedBy: string };

/** Who acts: the requester proves itself with the binding secret, an approver by its user id. */
type Actor = { secret: string; ip?: string } | { userId: string; ip?: string };

/** A ticket change as published to every instance. */
export interface TicketEvent {
  id: string;
  version: number;
  state: Ticket["state"];
  /** When it was published (ms), for the wake-latency metric. */
  at: number;
}

const MAX_ATTEMPTS = 8;

/**
 * Ticket operations on top of any KvStore. Each transition is "read, decide
 * (machine.ts), write if the version is unchanged" — a compare-and-set that
 * the store makes atomic — retried when another writer got there first.
 */
export class TicketService {
  constructor(
    private readonly kv: KvStore,
    readonly lifetimes: Lifetimes,
    private readonly now: () => number = Date.now,
  ) {}

  /** `deviceHash`: the hash of the desktop's device cookie (lib/devices), kept for the phone's "signed in here before". */
  async create(
    requester: Ticket["requester"],
    deviceHash?: string,
    app?: string,
  ): Promise<{ ticket: Ticket; secret: string }> {
    const secret = newBindingSecret();
    const id = newTicketId();
    const userCode = await this.reserveUserCode(id);
    const { ticket, expireAt } = newTicket(
      { id, bindingHash: sha256(secret), userCode, requester, deviceHash, qrKey: newQrKey(), app },
      this.now(),
      this.lifetimes,
    );
    if (!(await this.kv.createHash(keys.ticket(id), toHash(ticket), expireAt))) {
      throw new TicketActionError("conflict");
    }
    audit("create", { ticketId: id, outcome: "ok", ip: requester.ip });
    return { ticket, secret };
  }

  private async reserveUserCode(ticketId: string): Promise<string> {
    const ttl = this.lifetimes.maxMs + this.lifetimes.tombstoneMs;
    for (let i = 0; i < 5; i++) {
      const code = newUserCode();
      if (await this.kv.setString(keys.userCode(code), ticketId, ttl, true)) return code;
    }
    throw new TicketActionError("conflict");
  }

  async get(id: string): Promise<Ticket | null> {
    const hash = await this.kv.getHash(keys.ticket(id));
    return hash ? fromHash(id, hash) : null;
  }

  /** The ticket and its current state for its own browser; null for unknown ids and wrong secrets alike. */
  async readAsRequester(id: string, secret: string) {
    const ticket = await this.get(id);
    if (!ticket || !matchesHash(secret, ticket.bindingHash)) {
      audit("status", { ticketId: id, outcome: ticket ? "wrong_binding" : "not_found" });
      return null;
    }
    return { ticket, state: currentState(ticket, this.now()) };
  }

  /**
   * The ticket and its current state for the user who scanned it (the phone
   * following its answer); null for an unknown id, not_scanner for anyone else.
   */
  async readAsScanner(id: string, userId: string) {
    const ticket = await this.get(id);
    if (!ticket) return null;
    const state = currentState(ticket, this.now());
    if (ticket.userId !== userId) throw new TicketActionError("not_scanner", state);
    return { ticket, state };
  }

  /** Looks up the ticket a user code names (the type-a-code path). */
  async findByUserCode(code: string): Promise<string | null> {
    return this.kv.getString(keys.userCode(code));
  }

  /**
   * How long after the desktop's last status read its ticket counts as
   * followed: a rotation period and its grace (the long-poll asks again at
   * every slot's start), or a long-poll's longest wait without rotation.
   */
  get followWindowMs(): number {
    const every = this.lifetimes.rotationMs ?? 0;
    return every > 0 ? every + (this.lifetimes.rotationGraceMs ?? 0) : 30_000;
  }

  /** The desktop is still following its ticket (read by its status poll): lasts followWindowMs. */
  markFollowed = (id: string) =>
    this.kv.setString(keys.ticketFollowed(id), "1", this.followWindowMs).then(() => undefined);

  /** Whether the desktop read its ticket's status within followWindowMs. */
  isFollowed = async (id: string) => (await this.kv.getString(keys.ticketFollowed(id))) !== null;

  /**
   * The ticket a typed code names while its page is still open on the
   * computer (its status poll follows it); a code from a page that was closed
   * or a screenshot of one names nothing.
   */
  async findFollowedByUserCode(code: string): Promise<string | null> {
    const id = await this.findByUserCode(code);
    return id && (await this.isFollowed(id)) ? id : null;
  }

  /**
   * `qrToken`: the token the scanned QR's URL carried ("" or absent: none);
   * `openedAt`: when this phone browser first opened the ticket's page.
   */
  scan = (id: string, userId: string, ip?: string, qrToken = "", openedAt?: number) =>
    this.act(
      id,
      (current) => ({
        type: "scan",
        userId,
        qrSlot: qrToken ? qrTokenSlot(current, qrToken) : null,
        openedAt,
      }),
      { userId, ip },
      "scan",
    );

  /** The QR token the screen shows now, for the typed-code path ("" without rotation; null for no ticket). */
  async qrTokenForCode(id: string): Promise<string | null> {
    const ticket = await this.get(id);
    return ticket ? currentQrToken(ticket, this.now(), this.lifetimes) : null;
  }
  /**
   * With `session`: the computer session a claim will make (PROTOCOL v2). As
   * a function it is called only when this confirm changes the ticket (its
   * own scanner, still scanned), once per try: whatever it reserves is never
   * reserved for an unknown, foreign, finished or already confirmed ticket.
   * `askFirst`: whether the person at the computer must first continue as
   * this account (it never signed in from that browser; the approve route
   * always decides, lib/devices/known-devices.ts); absent: no question.
   */
  confirm = (
    id: string,
    userId: string,
    ip?: string,
    session?: ConfirmSession | ((current: Ticket) => Promise<ConfirmSession>),
    askFirst?: (current: Ticket) => Promise<boolean>,
  ) =>
    this.act(
      id,
      async (current): Promise<Action> => {
        const action: Action = {
          type: "confirm",
          userId,
          continueRequired:
            askFirst && current.state === "scanned" ? await askFirst(current) : false,
        };
        if (typeof session !== "function") return { ...action, ...session };
        const decision = decide(current, action, this.now(), this.lifetimes);
        return decision.ok && decision.changed
          ? { ...action, ...(await session(current)) }
          : action;
      },
      { userId, ip },
      "confirm",
    );
  deny = (id: string, userId: string, ip?: string) =>
    this.act(id, { type: "deny", userId }, { userId, ip });
  cancel = (id: string, secret: string, ip?: string) =>
    this.act(id, { type: "cancel" }, { secret, ip });
  /** The requester's "This isn't me" to the account that approved: no claim, ever. */
  refuse = (id: string, secret: string, ip?: string) =>
    this.act(id, { type: "refuse" }, { secret, ip });
  /**
   * Exactly once: of any number of concurrent claims of a confirmed ticket,
   * one returns it. `session` makes the computer session's record from the
   * confirmed ticket; it is written by the same compare-and-set that consumes
   * the ticket, so a claim either did both or neither. `continued`: whether
   * the person at the computer chose to continue as the ticket's account
   * (needed when it was confirmed with continueRequired).
   */
  claim = (
    id: string,
    secret: string,
    ip?: string,
    session?: (confirmed: Ticket) => Promise<{ record: string; expiresAt: number }>,
    continued?: (confirmed: Ticket) => Promise<boolean>,
  ) =>
    this.act(
      id,
      async (t) => {
        const agreed = continued && t.continueRequired ? await continued(t) : false;
        const claimable = t.state === "confirmed" && (!t.continueRequired || agreed);
        return {
          type: "claim",
          continued: agreed,
          // The session record is made only from a ticket that can be claimed.
          session: session && claimable ? await session(t) : undefined,
        };
      },
      { secret, ip },
      "claim",
    );

  /** `actionOf`: the action, or how to make it from the ticket as it is now (`type` names it for the log). */
  private async act(
    id: string,
    actionOf: Action | ((current: Ticket) => Action | Promise<Action>),
    actor: Actor,
    type: Action["type"] = typeof actionOf === "function" ? "claim" : actionOf.type,
  ): Promise<Ticket> {
    const actorId = "userId" in actor ? actor.userId : undefined;
    const log = (outcome: string, userId = actorId) =>
      audit(type, { ticketId: id, outcome, userId, ip: actor.ip });
    try {
      for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
        const current = await this.get(id);
        if (!current) throw new TicketActionError("not_found");
        if ("secret" in actor && !matchesHash(actor.secret, current.bindingHash)) {
          throw new TicketActionError("not_found");
        }
        const action = typeof actionOf === "function" ? await actionOf(current) : actionOf;
        const decision = decide(current, action, this.now(), this.lifetimes);
        if (!decision.ok) {
          throw new TicketActionError(decision.error, currentState(current, this.now()));
        }
        if (!decision.changed) {
          log("unchanged", decision.ticket.userId);
          return decision.ticket;
        }
        const next = decision.ticket;
        const event: TicketEvent = { id, version: next.version, state: next.state, at: Date.now() };
        const written = await this.kv.casHash(
          keys.ticket(id),
          current.version,
          changedFields(next),
          decision.expireAt,
          { channel: keys.events, message: JSON.stringify(event) },
        );
        if (written) {
          log("ok", next.userId);
          return next;
        }
      }
      throw new TicketActionError("conflict");
    } catch (error) {
      log(TicketActionError.is(error) ? error.code : "error");
      throw error;
    }
  }
}

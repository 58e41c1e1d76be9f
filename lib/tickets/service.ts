import "server-only";
import { audit } from "../log";
import { keys } from "../store/keys";
import type { KvStore } from "../store/kv";
import { changedFields, fromHash, toHash } from "./codec";
import { matchesHash, newBindingSecret, newQrToken, newTicketId, newUserCode, sha256 } from "./ids";
import {
  type Action,
  currentState,
  decide,
  type Lifetimes,
  newTicket,
  qrTokenAccepted,
  type Ticket,
  type TicketError,
  type TicketState,
} from "./machine";

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

/** Who acts: the requester proves itself with the binding secret, an approver by its user id; the server itself (a rotation for the typed code) by neither. */
type Actor = { secret: string; ip?: string } | { userId: string; ip?: string } | { ip?: string };

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
  ): Promise<{ ticket: Ticket; secret: string }> {
    const secret = newBindingSecret();
    const id = newTicketId();
    const userCode = await this.reserveUserCode(id);
    const { ticket, expireAt } = newTicket(
      { id, bindingHash: sha256(secret), userCode, requester, deviceHash },
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

  /** Looks up the ticket a user code names (the type-a-code path). */
  async findByUserCode(code: string): Promise<string | null> {
    return this.kv.getString(keys.userCode(code));
  }

  /** `qrToken`: the token the scanned QR's URL carried ("" or absent for the first QR, which has none). */
  scan = (id: string, userId: string, ip?: string, qrToken?: string) =>
    this.act(id, { type: "scan", userId, qrToken }, { userId, ip });
  /**
   * The requester's read replaces the QR's token when it is due (one
   * compare-and-set, published like any change, so the ticket's long-polls
   * wake); the ticket as it is afterwards. Not due: no write.
   */
  rotate = (id: string, secret: string) =>
    this.act(id, { type: "rotate", token: newQrToken() }, { secret });

  /**
   * A QR token for the typed-code path (the code lives longer than a QR):
   * the current one when it still scans for at least half a rotation,
   * otherwise a new one (the desktop's QR changes with it).
   */
  async qrTokenForCode(id: string): Promise<string | null> {
    const ticket = await this.get(id);
    if (!ticket) return null;
    const now = this.now();
    const every = this.lifetimes.rotationMs ?? 0;
    if (every <= 0 || qrTokenAccepted(ticket, ticket.qr.token, now + every / 2, this.lifetimes)) {
      return ticket.qr.token;
    }
    const token = newQrToken();
    const next = await this.act(id, { type: "rotate", token, force: true }, {}).catch(
      (error: unknown) => {
        // Scanned or finished meanwhile: the scan itself will say what happened.
        if (TicketActionError.is(error)) return null;
        throw error;
      },
    );
    return next?.qr.token ?? ticket.qr.token;
  }
  /** With `session`: the computer session a claim will make (PROTOCOL v2). */
  confirm = (
    id: string,
    userId: string,
    ip?: string,
    session?: { sessionId: string; approvedBy: string },
  ) => this.act(id, { type: "confirm", userId, ...session }, { userId, ip });
  deny = (id: string, userId: string, ip?: string) =>
    this.act(id, { type: "deny", userId }, { userId, ip });
  cancel = (id: string, secret: string, ip?: string) =>
    this.act(id, { type: "cancel" }, { secret, ip });
  /**
   * Exactly once: of any number of concurrent claims of a confirmed ticket,
   * one returns it. `session` makes the computer session's record from the
   * confirmed ticket; it is written by the same compare-and-set that consumes
   * the ticket, so a claim either did both or neither.
   */
  claim = (
    id: string,
    secret: string,
    ip?: string,
    session?: (confirmed: Ticket) => Promise<{ record: string; expiresAt: number }>,
  ) =>
    this.act(
      id,
      async (t) => ({ type: "claim", session: session ? await session(t) : undefined }),
      {
        secret,
        ip,
      },
    );

  private async act(
    id: string,
    actionOf: Action | ((current: Ticket) => Promise<Action>),
    actor: Actor,
  ): Promise<Ticket> {
    const type = typeof actionOf === "function" ? "claim" : actionOf.type;
    const actorId = "userId" in actor ? actor.userId : undefined;
    // A rotation is routine (every few seconds per waiting desktop): only its failures are logged.
    const log = (outcome: string, userId = actorId) =>
      type === "rotate" && (outcome === "ok" || outcome === "unchanged")
        ? undefined
        : audit(type, { ticketId: id, outcome, userId, ip: actor.ip });
    try {
      for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
        const current = await this.get(id);
        if (!current) throw new TicketActionError("not_found");
        if ("secret" in actor && !matchesHash(actor.secret, current.bindingHash)) {
          throw new TicketActionError("not_found");
        }
        const action =
          typeof actionOf === "function" ? await claimAction(current, actionOf) : actionOf;
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

/** The claim's action: its session record is made only from a ticket that can be claimed. */
async function claimAction(current: Ticket, make: (t: Ticket) => Promise<Action>): Promise<Action> {
  return current.state === "confirmed" ? make(current) : { type: "claim" };
}

import "server-only";
import { env } from "../env";
import { singleton } from "../registry";
import { isStopping, ticketWaiters } from "./events";
import { tickets } from "./index";
import {
  currentState,
  isFinal,
  nextRotationAt,
  rotationDue,
  type Ticket,
  type TicketState,
} from "./machine";
import { TicketActionError } from "./service";

interface Options {
  /** The version the client already has. */
  since?: number;
  waitMs: number;
  /** Aborts when the client goes away (asked only for a poll that waits). */
  signal?: () => AbortSignal;
  /** Who waits (the client's address; asked only for a poll that would wait): at most QRL_MAX_LONG_POLLS_PER_IP wait at once; past it, the answer comes at once. */
  holder?: () => string;
}

/**
 * The requester's status read, as a long-poll: when the ticket is still at
 * `since`, wait (up to `waitMs`, and never past the state's deadline) for a
 * change, then read again. Without `since`/`waitMs` it answers at once.
 */
export function readStatus(id: string, secret: string, o: Options) {
  const service = tickets();
  return follow(id, async () => rotated(id, secret, await service.readAsRequester(id, secret)), o, {
    // The QR's next rotation answers the poll too, so the screen shows the new code at once.
    wakeAt: (ticket) => nextRotationAt(ticket, service.lifetimes),
  });
}

/**
 * The scanner's read of the ticket it answered (`GET /api/qr/{id}/approval`),
 * as the same long-poll, woken by the same events: the phone learns that the
 * computer signed in, gave up, or ran out of time.
 */
export function readApproval(id: string, userId: string, o: Options) {
  return follow(id, () => tickets().readAsScanner(id, userId), o);
}

type Read = () => Promise<{ ticket: Ticket; state: TicketState } | null>;

/** `wakeAt`: a moment (ms) the wait ends by even without a change. */
async function follow(
  id: string,
  read: Read,
  o: Options,
  w: { wakeAt?: (t: Ticket) => number } = {},
) {
  const release =
    o.since === undefined || o.waitMs <= 0 || isStopping() ? null : holdSlot(o.holder?.() ?? "");
  if (!release) return read();
  try {
    return await waitForChange(id, read, o, w.wakeAt);
  } finally {
    release();
  }
}

/** A waiting slot for `holder`, or null when it holds as many as it may (the poll answers at once). */
function holdSlot(holder: string): (() => void) | null {
  const held = singleton("longPollsByClient", () => new Map<string, number>());
  const count = held.get(holder) ?? 0;
  if (count >= env().QRL_MAX_LONG_POLLS_PER_IP) return null;
  held.set(holder, count + 1);
  return () => {
    const left = (held.get(holder) ?? 1) - 1;
    if (left > 0) held.set(holder, left);
    else held.delete(holder);
  };
}

async function waitForChange(id: string, read: Read, o: Options, wakeAt?: (t: Ticket) => number) {
  // Watch before reading, so a change between the read and the wait still wakes us.
  const waiter = (await ticketWaiters()).watch(id, o.signal?.());
  try {
    const first = await read();
    if (!first || first.ticket.version !== o.since || isFinal(first.state)) return first;
    const untilExpiry = first.ticket.deadline - Date.now() + 25;
    const untilWake = wakeAt ? wakeAt(first.ticket) - Date.now() + 5 : Number.POSITIVE_INFINITY;
    const outcome = await waiter.until(Math.min(o.waitMs, untilExpiry, untilWake));
    return outcome === "aborted" ? first : await read();
  } finally {
    waiter.cancel();
  }
}

type Found = Awaited<ReturnType<ReturnType<typeof tickets>["readAsRequester"]>>;

/**
 * The requester's read, with its QR's token replaced first when that is due
 * (one compare-and-set; not due: no write). The desktop that shows the QR is
 * the one that asks, so a waiting desktop rotates its own code.
 */
async function rotated(id: string, secret: string, found: Found): Promise<Found> {
  const service = tickets();
  if (!found || !rotationDue(found.ticket, Date.now(), service.lifetimes)) return found;
  try {
    const ticket = await service.rotate(id, secret);
    return { ticket, state: currentState(ticket, Date.now()) };
  } catch (error) {
    // Scanned, cancelled or gone meanwhile: a fresh read says so.
    if (!TicketActionError.is(error)) throw error;
    return service.readAsRequester(id, secret);
  }
}

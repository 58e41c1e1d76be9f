import "server-only";
import { env } from "../env";
import { singleton } from "../registry";
import { isStopping, ticketWaiters } from "./events";
import { tickets } from "./index";
import { currentState, isFinal, nextRotationAt, rotationDue } from "./machine";
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
export async function readStatus(id: string, secret: string, o: Options) {
  const service = tickets();
  const release =
    o.since === undefined || o.waitMs <= 0 || isStopping() ? null : holdSlot(o.holder?.() ?? "");
  if (!release) return rotated(id, secret, await service.readAsRequester(id, secret));
  try {
    return await waitForChange(id, secret, o);
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

async function waitForChange(id: string, secret: string, o: Options & { since?: number }) {
  const service = tickets();
  // Watch before reading, so a change between the read and the wait still wakes us.
  const waiter = (await ticketWaiters()).watch(id, o.signal?.());
  try {
    const first = await rotated(id, secret, await service.readAsRequester(id, secret));
    if (!first || first.ticket.version !== o.since || isFinal(first.state)) return first;
    const untilExpiry = first.ticket.deadline - Date.now() + 25;
    // The QR's next rotation answers the poll too, so the screen shows the new code at once.
    const untilRotation = nextRotationAt(first.ticket, service.lifetimes) - Date.now() + 5;
    const outcome = await waiter.until(Math.min(o.waitMs, untilExpiry, untilRotation));
    return outcome === "aborted"
      ? first
      : await rotated(id, secret, await service.readAsRequester(id, secret));
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

import "server-only";
import { env } from "../env";
import { singleton } from "../registry";
import { isStopping, ticketWaiters } from "./events";
import { tickets } from "./index";
import { isFinal, nextRotationAt, qrSlotAt, type Ticket, type TicketState } from "./machine";

interface Options {
  /** The version the client already has. */
  since?: number;
  waitMs: number;
  /** Aborts when the client goes away (asked only for a poll that waits). */
  signal?: () => AbortSignal;
  /** Who waits (the client's address; asked only for a poll that would wait): at most QRL_MAX_LONG_POLLS_PER_IP wait at once; past it, the answer comes at once. */
  holder?: () => string;
  /** The rotation slot of the QR the desktop shows (its URL's token): another slot answers at once. */
  shownSlot?: number;
}

/**
 * The requester's status read, as a long-poll: when the ticket is still at
 * `since`, wait (up to `waitMs`, and never past the state's deadline) for a
 * change, then read again. Without `since`/`waitMs` it answers at once.
 * While the ticket is pending, the QR's next rotation answers the poll too
 * (same version, the new scan URL), and so does a poll whose QR is already
 * out of date (`shownSlot`); once it is scanned or anything else happened,
 * only a real change or the full wait does.
 */
export function readStatus(id: string, secret: string, o: Options) {
  const service = tickets();
  let marked = false;
  return follow(
    id,
    async () => {
      const found = await service.readAsRequester(id, secret);
      if (found && !marked && (found.state === "pending" || found.state === "scanned")) {
        marked = true;
        await markFollowed(id);
      }
      return found;
    },
    o,
    {
      wakeAt: (ticket) => nextRotationAt(ticket, Date.now(), service.lifetimes),
      stale: (ticket, state) =>
        state === "pending" &&
        o.shownSlot !== undefined &&
        o.shownSlot !== qrSlotAt(ticket, Date.now(), service.lifetimes),
    },
  );
}

/**
 * Records that the desktop still follows its ticket (the typed code works
 * only then): one expiring key, written at most twice a follow window per
 * ticket by this instance, however often the desktop reads.
 */
async function markFollowed(id: string) {
  const service = tickets();
  const marked = singleton("followedMarks", () => new Map<string, number>());
  const now = Date.now();
  const window = service.followWindowMs;
  const last = marked.get(id);
  if (last !== undefined && now - last < window / 2) return;
  if (marked.size >= 100_000) {
    for (const [key, at] of marked) if (now - at >= window) marked.delete(key);
  }
  marked.set(id, now);
  await service.markFollowed(id);
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

/** When the wait ends even without a change (`wakeAt`, ms), or is not worth starting (`stale`). */
interface Wake {
  wakeAt?: (t: Ticket) => number;
  stale?: (t: Ticket, state: TicketState) => boolean;
}

async function follow(id: string, read: Read, o: Options, w: Wake = {}) {
  const release =
    o.since === undefined || o.waitMs <= 0 || isStopping() ? null : holdSlot(o.holder?.() ?? "");
  if (!release) return read();
  try {
    return await waitForChange(id, read, o, w);
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

async function waitForChange(id: string, read: Read, o: Options, { wakeAt, stale }: Wake) {
  // Watch before reading, so a change between the read and the wait still wakes us.
  const waiter = (await ticketWaiters()).watch(id, o.signal?.());
  try {
    const first = await read();
    if (!first || first.ticket.version !== o.since || isFinal(first.state)) return first;
    if (stale?.(first.ticket, first.state)) return first;
    // A stop began while this poll was on its way (after releaseWaiters woke the ones then
    // waiting): answer now, so the drain is not held for a whole wait.
    if (isStopping()) return first;
    const untilExpiry = first.ticket.deadline - Date.now() + 25;
    const untilWake = wakeAt ? wakeAt(first.ticket) - Date.now() + 5 : Number.POSITIVE_INFINITY;
    const outcome = await waiter.until(Math.min(o.waitMs, untilExpiry, untilWake));
    return outcome === "aborted" ? first : await read();
  } finally {
    waiter.cancel();
  }
}

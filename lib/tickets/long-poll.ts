import "server-only";
import { isStopping, ticketWaiters } from "./events";
import { tickets } from "./index";
import { isFinal } from "./machine";

interface Options {
  /** The version the client already has. */
  since?: number;
  waitMs: number;
  /** Aborts when the client goes away. */
  signal?: AbortSignal;
}

/**
 * The requester's status read, as a long-poll: when the ticket is still at
 * `since`, wait (up to `waitMs`, and never past the state's deadline) for a
 * change, then read again. Without `since`/`waitMs` it answers at once.
 */
export async function readStatus(id: string, secret: string, o: Options) {
  const service = tickets();
  if (o.since === undefined || o.waitMs <= 0 || isStopping()) {
    return service.readAsRequester(id, secret);
  }
  // Watch before reading, so a change between the read and the wait still wakes us.
  const waiter = (await ticketWaiters()).watch(id, o.signal);
  try {
    const first = await service.readAsRequester(id, secret);
    if (!first || first.ticket.version !== o.since || isFinal(first.state)) return first;
    const untilExpiry = first.ticket.deadline - Date.now() + 25;
    const outcome = await waiter.until(Math.min(o.waitMs, untilExpiry));
    return outcome === "aborted" ? first : await service.readAsRequester(id, secret);
  } finally {
    waiter.cancel();
  }
}

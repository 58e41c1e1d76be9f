import "server-only";
import { env } from "../env";
import { singleton } from "../registry";
import { isStopping, ticketWaiters } from "./events";
import { tickets } from "./index";
import { isFinal } from "./machine";

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
  if (!release) return service.readAsRequester(id, secret);
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
    const first = await service.readAsRequester(id, secret);
    if (!first || first.ticket.version !== o.since || isFinal(first.state)) return first;
    const untilExpiry = first.ticket.deadline - Date.now() + 25;
    const outcome = await waiter.until(Math.min(o.waitMs, untilExpiry));
    return outcome === "aborted" ? first : await service.readAsRequester(id, secret);
  } finally {
    waiter.cancel();
  }
}

import "server-only";
import { store } from "../store";
import { keys } from "./keys";
import { Waiters } from "./waiters";

/**
 * Ticket change events across instances. Every transition publishes on one
 * channel (in the same atomic step as the write); each process holds ONE
 * subscription and wakes its own waiting long-polls by ticket id.
 */
type Events = { waiters: Waiters; ready: Promise<unknown>; stopping: boolean };

const cache = globalThis as unknown as { qrlEvents?: Events };

function connect(): Events {
  const waiters = new Waiters();
  const ready = store().subscribe(keys.events, {
    onMessage(message) {
      const id = parseId(message);
      if (id) waiters.notify(id);
    },
    onResync: () => waiters.notifyAll(),
  });
  const events: Events = { waiters, ready, stopping: false };
  // A failed subscription (store down) is retried by the next long-poll.
  ready.catch(() => {
    if (cache.qrlEvents === events) cache.qrlEvents = undefined;
  });
  return events;
}

function parseId(message: string): string | undefined {
  try {
    const id = (JSON.parse(message) as { id?: unknown }).id;
    return typeof id === "string" ? id : undefined;
  } catch {
    return undefined;
  }
}

/** This process's waiters, once its subscription is live. */
export async function ticketWaiters(): Promise<Waiters> {
  cache.qrlEvents ??= connect();
  const events = cache.qrlEvents;
  await events.ready;
  return events.waiters;
}

/** True once the server is shutting down: long-polls answer at once instead of waiting. */
export const isStopping = () => cache.qrlEvents?.stopping ?? false;

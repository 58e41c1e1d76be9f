import "server-only";
import { metrics } from "../metrics";
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
      const event = parse(message);
      if (event && waiters.notify(event.id) > 0) {
        metrics().wakeLatency.observe(Math.max(0, Date.now() - event.at) / 1000);
      }
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

function parse(message: string): { id: string; at: number } | undefined {
  try {
    const { id, at } = JSON.parse(message) as { id?: unknown; at?: unknown };
    return typeof id === "string"
      ? { id, at: typeof at === "number" ? at : Date.now() }
      : undefined;
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

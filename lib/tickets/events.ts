import "server-only";
import { metrics } from "../metrics";
import { registry } from "../registry";
import { store } from "../store";
import { keys } from "../store/keys";
import { Waiters } from "./waiters";

/**
 * Ticket change events across instances. Every transition publishes on one
 * channel (in the same atomic step as the write); each process holds ONE
 * subscription and wakes its own waiting long-polls by ticket id.
 */
export interface TicketEvents {
  waiters: Waiters;
  ready: Promise<unknown>;
}

function connect(): TicketEvents {
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
  const events: TicketEvents = { waiters, ready };
  // A failed subscription (store down) is retried by the next long-poll.
  ready.catch(() => {
    const r = registry();
    if (r.events === events) r.events = undefined;
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
  const r = registry();
  r.events ??= connect();
  await r.events.ready;
  return r.events.waiters;
}

/** True once the server is shutting down: long-polls answer at once instead of waiting. */
export const isStopping = () => registry().stopping === true;

/** Shutdown: every long-poll answers now (the desktop re-polls another instance), and new ones do not wait. */
export function releaseWaiters() {
  const r = registry();
  r.stopping = true;
  r.events?.waiters.notifyAll();
}

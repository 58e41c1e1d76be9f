import "server-only";
import { listen } from "../events";
import { metrics } from "../metrics";
import { registry } from "../registry";
import { Waiters } from "./waiters";

/**
 * Ticket wake-ups: every ticket transition publishes `{id, at}` on the
 * events channel (lib/events.ts) in the same atomic step as its write; each
 * instance wakes the long-polls it holds for that ticket.
 */
function waiters(): Waiters {
  const r = registry();
  r.waiters ??= new Waiters();
  return r.waiters;
}

/** Starts hearing ticket events; resolves once the subscription is live. */
export function listenForTickets(): Promise<unknown> {
  const w = waiters();
  return listen("ticket", {
    message(event) {
      if (typeof event.id !== "string" || w.notify(event.id) === 0) return;
      const at = typeof event.at === "number" ? event.at : Date.now();
      metrics().wakeLatency.observe(Math.max(0, Date.now() - at) / 1000);
    },
    resync: () => w.notifyAll(),
  });
}

/** This process's waiters, once its subscription is live. */
export async function ticketWaiters(): Promise<Waiters> {
  await listenForTickets();
  return waiters();
}

/** True once the server is shutting down: long-polls answer at once instead of waiting. */
export const isStopping = () => registry().stopping === true;

/** Shutdown: every long-poll answers now (the desktop re-polls another instance), and new ones do not wait. */
export function releaseWaiters() {
  const r = registry();
  r.stopping = true;
  r.waiters?.notifyAll();
}

import "server-only";
import { metrics } from "../metrics";
import { registry } from "../registry";
import {
  type AccountChangedEvent,
  forgetAccount,
  forgetLive,
  revokeLocally,
  type SignOutEvent,
} from "../sessions/revocations";
import { store } from "../store";
import { keys } from "../store/keys";
import { Waiters } from "./waiters";

/**
 * Events across instances, on one channel: every ticket transition publishes
 * (in the same atomic step as the write), and so does every sign-out. Each
 * process holds ONE subscription: it wakes its own waiting long-polls by
 * ticket id and forgets signed-out sessions (lib/sessions/revocations.ts).
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
      if (event?.type === "signout") revokeLocally(event.sids, event.until);
      else if (event?.type === "account") forgetAccount(event.id);
      else if (event && waiters.notify(event.id) > 0) {
        metrics().wakeLatency.observe(Math.max(0, Date.now() - event.at) / 1000);
      }
    },
    onResync: () => {
      forgetLive();
      waiters.notifyAll();
    },
  });
  const events: TicketEvents = { waiters, ready };
  // A failed subscription (store down) is retried by the next long-poll.
  ready.catch(() => {
    const r = registry();
    if (r.events === events) r.events = undefined;
  });
  return events;
}

type Parsed = { type: "ticket"; id: string; at: number } | SignOutEvent | AccountChangedEvent;

function parse(message: string): Parsed | undefined {
  try {
    const m = JSON.parse(message) as { id?: unknown; at?: unknown; type?: string } & Omit<
      Partial<SignOutEvent>,
      "type"
    >;
    if (m.type === "account" && typeof m.id === "string") return { type: "account", id: m.id };
    if (m.type === "signout" && Array.isArray(m.sids) && typeof m.until === "number") {
      return { type: "signout", sids: m.sids.filter((s) => typeof s === "string"), until: m.until };
    }
    return typeof m.id === "string"
      ? { type: "ticket", id: m.id, at: typeof m.at === "number" ? m.at : Date.now() }
      : undefined;
  } catch {
    return undefined;
  }
}

/** This process's subscription (made once; a failed one is retried by the next call). */
export function subscribeEvents(): TicketEvents {
  const r = registry();
  r.events ??= connect();
  return r.events;
}

/** This process's waiters, once its subscription is live. */
export async function ticketWaiters(): Promise<Waiters> {
  const events = subscribeEvents();
  await events.ready;
  return events.waiters;
}

/** True once the server is shutting down: long-polls answer at once instead of waiting. */
export const isStopping = () => registry().stopping === true;

/** Shutdown: every long-poll answers now (the desktop re-polls another instance), and new ones do not wait. */
export function releaseWaiters() {
  const r = registry();
  r.stopping = true;
  r.events?.waiters.notifyAll();
}

import "server-only";
import { registry } from "./registry";
import { store } from "./store";
import { keys } from "./store/keys";

/**
 * Events across instances, on one channel, dispatched by type to the module
 * that listens for it: "ticket" (every ticket transition publishes, in the
 * same atomic step as its write: lib/tickets wakes its long-polls),
 * "signout" (lib/sessions forgets the sessions) and "account" (a renamed or
 * deleted account's cached name is dropped). Each process holds ONE
 * subscription, made by the first `listen`; a failed one (store down) is made
 * again by the next. When it is live, and again after every gap, each
 * listener's `resync` drops what it cached while it could not hear. The
 * modules own their messages; this one only carries them.
 */
export interface EventListener {
  /** One message of the listener's type, parsed (anything that is not a JSON object is dropped). */
  message(event: Record<string, unknown>): void;
  /** The subscription is live for the first time, or came back after a gap: messages may have been missed. */
  resync?(): void;
}

/** A message's type; the ticket scripts (lib/store) publish `{id, at}` without one. */
const typeOf = (event: Record<string, unknown>) =>
  typeof event.type === "string" ? event.type : "ticket";

function listeners(): Map<string, EventListener> {
  const r = registry();
  r.eventListeners ??= new Map();
  return r.eventListeners;
}

function connect(timeoutMs?: number): Promise<unknown> {
  const ready = store().subscribe(
    keys.events,
    {
      onMessage(message) {
        const event = parse(message);
        if (event) listeners().get(typeOf(event))?.message(event);
      },
      onResync() {
        for (const listener of listeners().values()) listener.resync?.();
      },
    },
    timeoutMs === undefined ? {} : { timeoutMs },
  );
  ready.then(
    // Whatever was published before the subscription was live went unheard (an instance's first
    // requests are served while it subscribes): each listener drops what it cached meanwhile.
    () => {
      for (const listener of listeners().values()) listener.resync?.();
    },
    () => {
      const r = registry();
      if (r.eventsReady === ready) r.eventsReady = undefined;
    },
  );
  return ready;
}

function parse(message: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(message);
    return value && typeof value === "object" && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** Delivers this process's messages of `type` to `listener`; resolves once the subscription is live. */
export function listen(type: string, listener: EventListener): Promise<unknown> {
  listeners().set(type, listener);
  return connectEvents();
}

/**
 * Makes this process's subscription without a listener yet (server start:
 * listening before a request needs it), waiting up to `timeoutMs` (default:
 * the store's deadline); resolves once it is live. Listeners that `listen`
 * later get their messages on it.
 */
export function connectEvents(timeoutMs?: number): Promise<unknown> {
  const r = registry();
  r.eventsReady ??= connect(timeoutMs);
  return r.eventsReady;
}

/** Tells every instance (this one included): `{type, ...}` as JSON on the channel. */
export function publish(event: { type: string } & Record<string, unknown>): Promise<void> {
  return store().publish(keys.events, JSON.stringify(event));
}

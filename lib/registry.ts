import "server-only";
import type { Reader, Response } from "maxmind";
import type { Logger } from "pino";
import type { AccountStore } from "./accounts/store";
import type { ScannedTicket } from "./api/shapes";
import type { EventListener } from "./events";
import type { Metrics } from "./metrics";
import type { Oidc } from "./oidc/provider";
import type { Limits } from "./rate-limit";
import type { RedisClient } from "./redis";
import type { SessionMemory } from "./sessions/revocations";
import type { KvStore } from "./store/kv";
import type { TicketService } from "./tickets/service";
import type { Waiters } from "./tickets/waiters";
import type { UserDirectory } from "./users/directory";
import type { WebhookQueue } from "./webhooks/queue";

/**
 * The process-wide singletons, in one typed place.
 *
 * Why a registry at all: one server process holds several copies of every
 * `lib/` module — Next.js bundles each route and the instrumentation hook
 * separately, and server.mjs loads the server entry (lib/server/entry.ts) as
 * a bundle of its own. Module-level `let`s would give each copy its own Redis
 * connection, its own long-poll waiters and its own metrics. Every singleton
 * therefore lives here, under one `Symbol.for` key on globalThis, and nowhere
 * else; `singleton()` creates each on first use.
 */
export interface Registry {
  devSecret?: string;
  /** Random per process: proves an x-qrl-peer header was written by this server (lib/http/request-info.ts). */
  peerToken?: string;
  logger?: Logger;
  metrics?: Metrics;
  redis?: RedisClient;
  store?: KvStore;
  tickets?: TicketService;
  /** The events channel's one subscription (lib/events.ts) and its listeners by message type. */
  eventsReady?: Promise<unknown>;
  eventListeners?: Map<string, EventListener>;
  /** The long-polls this instance holds, by ticket (lib/tickets/events.ts). */
  waiters?: Waiters;
  limits?: Limits;
  users?: UserDirectory;
  /** The database of accounts (lib/accounts), opened and migrated once; reset on failure. */
  accounts?: Promise<AccountStore>;
  sessions?: SessionMemory;
  /** User id → what the last pruning of the user's sessions hash kept, and confirms since (lib/sessions/records.ts). */
  sessionPrunes?: Map<string, { kept: number; since: number }>;
  /** Signed webhooks waiting for delivery (lib/webhooks/), when WEBHOOK_URL is set. */
  webhooks?: WebhookQueue;
  /** Client address → status long-polls it holds waiting on this instance. */
  longPollsByClient?: Map<string, number>;
  /** Browser entry → KNOWN, or when this instance read it unknown (lib/devices/known-devices.ts). */
  knownBrowsers?: Map<string, number>;
  /** Ticket id → when this instance last recorded that its desktop follows it (lib/tickets/long-poll.ts). */
  followedMarks?: Map<string, number>;
  /** The GeoIP databases (GEOIP_DB), opened on first use (lib/geo). */
  geo?: Promise<Reader<Response>[]>;
  /** The OpenID Provider (lib/oidc), made on the first request under /oidc. */
  oidc?: Promise<Oidc>;
  /**
   * Called with the ids of the sessions a sign-out ended (lib/sessions/sign-out.ts):
   * the OpenID Provider ends the provider sessions they made and sends the
   * apps' back-channel logout tokens (set by the server entry).
   */
  onSignedOut?: (userId: string, sessionIds: string[]) => Promise<void>;
  /**
   * Renders the confirm screen's warnings and requester details (the QR
   * confirm's own components) as HTML, for the device grant's confirm page
   * (lib/oidc/provider-pages.ts; set by the server entry, which may import
   * components).
   */
  renderRequester?: (locale: string, view: ScannedTicket) => string;
  /** The app's own style sheet (globals and the phone's), for pages React does not serve (lib/oidc/pages.ts). */
  pageStyle?: string;
  /** Set once the server begins to shut down: long-polls answer at once. */
  stopping?: boolean;
}

const KEY = Symbol.for("qr-login.registry");

export function registry(): Registry {
  const holder = globalThis as typeof globalThis & { [KEY]?: Registry };
  holder[KEY] ??= {};
  return holder[KEY];
}

/** The registry's `name` entry, made by `make` the first time it is asked for. */
export function singleton<K extends keyof Registry>(
  name: K,
  make: () => NonNullable<Registry[K]>,
): NonNullable<Registry[K]> {
  const r = registry();
  r[name] ??= make();
  return r[name] as NonNullable<Registry[K]>;
}

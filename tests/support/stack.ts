import { Redis } from "ioredis";
import { afterAll, beforeAll } from "vitest";
import { newDataDir, newTestDatabase, type OwnAppServer, startApp } from "./app-server";
import { HttpClient, scanPathOf, signInNative } from "./http-client";
import { type RedisServer, startRedis } from "./redis-server";

export type StoreName = "redis" | "memory";

type Env = Record<string, string>;

export interface StackOptions {
  /**
   * App instances (default 1); more than one share a Redis and a database.
   * An array starts one instance per entry, each with that entry's settings
   * on top of `env` (e.g. one with a metrics token, one without).
   */
  instances?: number | Env[];
  /** "redis": a redis-server of the suite's own (default); "memory": the embedded store. */
  store?: StoreName;
  /**
   * Settings for every instance, on top of the store's. A function is called
   * in the stack's beforeAll, after the suite's earlier hooks: for settings
   * only known then (a webhook receiver's URL, a database of the suite's own).
   */
  env?: Env | (() => Env | Promise<Env>);
  /** Extra redis-server arguments (store "redis"), e.g. `["--enable-debug-command", "yes"]`. */
  redisArgs?: string[];
}

export interface Stack {
  /** The first (or only) instance. */
  readonly app: OwnAppServer;
  readonly apps: OwnAppServer[];
  /** The suite's redis-server (store "redis"; throws for the memory store). */
  readonly redis: RedisServer;
  /** An ioredis client on the suite's redis-server, opened on first use, closed after the suite. */
  readonly client: Redis;
  readonly url: string;
}

/**
 * A suite's whole stack, started before its tests and stopped after them:
 * `const stack = useStack({ store: "redis", env: {...} })` in a describe
 * body, then `stack.app.url` in the tests. Registers its own set-up and
 * tear-down (vitest's beforeAll/afterAll), so no suite writes them again.
 * Vitest runs before-hooks in order and after-hooks in reverse: a hook the
 * suite registers after useStack sees the stack started, and an afterAll
 * registered before it runs once the stack has stopped. A test may stop an
 * instance itself (a drain, a SIGTERM); the tear-down then skips it.
 */
export function useStack(o: StackOptions = {}): Stack {
  const each: Env[] =
    typeof o.instances === "object"
      ? o.instances
      : Array.from({ length: o.instances ?? 1 }, () => ({}));
  const store = o.store ?? "redis";
  if (each.length > 1 && store === "memory") {
    throw new Error("The memory store is one process's: several instances need Redis");
  }
  let redis: RedisServer | undefined;
  let apps: OwnAppServer[] = [];
  let client: Redis | undefined;
  beforeAll(async () => {
    const env = typeof o.env === "function" ? await o.env() : (o.env ?? {});
    redis = store === "redis" ? await startRedis(undefined, o.redisArgs) : undefined;
    const shared: Env = redis ? { REDIS_URL: redis.url } : { QRL_STORE: "memory" };
    if (each.length > 1 && !env.DATABASE_URL && !env.QRL_DATA_DIR) {
      const url = await newTestDatabase();
      if (url) shared.DATABASE_URL = url;
      else shared.QRL_DATA_DIR = await newDataDir();
    }
    apps = await Promise.all(each.map((own) => startApp({ ...shared, ...env, ...own })));
  });
  afterAll(async () => {
    client?.disconnect();
    await Promise.all(apps.map((app) => app.stop()));
    await redis?.stop();
  });
  const started = () => {
    const first = apps[0];
    if (!first) throw new Error("useStack: the stack starts in beforeAll; use it inside a test");
    return first;
  };
  return {
    get app() {
      return started();
    },
    get apps() {
      started();
      return apps;
    },
    get redis() {
      if (!redis) throw new Error("useStack: this stack has no redis-server (store: memory)");
      return redis;
    },
    get client() {
      client ??= new Redis(this.redis.url);
      return client;
    },
    get url() {
      return started().url;
    },
  };
}

export interface CreatedTicket {
  ticketId: string;
  scanUrl: string;
  userCode: string;
  expiresAt: string;
}

/** A desktop that created a ticket (201 checked). */
export async function desktopWithTicket(url: string, headers: Record<string, string> = {}) {
  const desktop = new HttpClient(url, headers);
  const res = await desktop.fetch("/api/qr", { method: "POST" });
  if (res.status !== 201) throw new Error(`POST /api/qr answered ${res.status}`);
  return { desktop, ticket: (await res.json()) as CreatedTicket };
}

/** A native phone signed in as `username` (the test users' passwords). */
export async function signedInPhone(url: string, username = "alice", password = "wonderland") {
  return (await signInNative(url, username, password)).client;
}

/**
 * A ticket approved but not claimed yet: a desktop creates it, `phone`
 * (default: alice's native app) scans the QR it showed and confirms (each
 * step's 200 checked).
 */
export async function confirmedTicket(
  url: string,
  o: { phone?: HttpClient; headers?: Record<string, string> } = {},
) {
  const { desktop, ticket } = await desktopWithTicket(url, o.headers);
  const phone = o.phone ?? (await signedInPhone(url));
  const scan = await phone.fetch(scanPathOf(ticket.scanUrl), { method: "POST" });
  if (scan.status !== 200) throw new Error(`scan answered ${scan.status}`);
  const confirm = await phone.fetch(`/api/qr/${ticket.ticketId}/confirm`, { method: "POST" });
  if (confirm.status !== 200) throw new Error(`confirm answered ${confirm.status}`);
  return { desktop, phone, ticket };
}

/**
 * A desktop signed in by QR: it creates a ticket, `phone` (default: alice's
 * native app) scans and approves it, and the desktop claims its session.
 */
export async function signedInDesktop(
  url: string,
  o: { phone?: HttpClient; headers?: Record<string, string> } = {},
) {
  const confirmed = await confirmedTicket(url, o);
  await confirmed.desktop.claim(confirmed.ticket.ticketId);
  if (!confirmed.desktop.hasSessionCookie()) throw new Error("the claim made no session");
  return confirmed;
}

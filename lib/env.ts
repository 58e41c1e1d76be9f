import "server-only";
import { randomBytes } from "node:crypto";
import { z } from "zod";
import { singleton } from "./registry";

/**
 * The one place that reads process.env. Parsed lazily (not at import) so that
 * `next build` does not need run-time settings; `instrumentation.ts` calls
 * `env()` at start-up so a bad variable stops the server with one line.
 */

const seconds = (fallback: number, max: number) =>
  z.coerce
    .number()
    .positive()
    .max(max, `at most ${max} seconds`)
    .default(fallback)
    .transform((s) => Math.round(s * 1000));

const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  /** The port and address server.mjs listens on. */
  PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
  HOST: z
    .string()
    .regex(/^[A-Za-z0-9.:[\]_-]{1,255}$/, "expected a host name or an IP address")
    .default("0.0.0.0"),
  /** The build folder (next.config.mjs and server.mjs read the same): its static files are served from here. */
  NEXT_DIST_DIR: z.string().min(1).default(".next"),
  /** How long a SIGTERM waits for open requests before the process exits anyway. */
  QRL_SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).max(600_000).default(10_000),
  /** A connection that has not sent a request's headers within this is closed (408). */
  QRL_HEADERS_TIMEOUT_MS: z.coerce.number().int().min(1000).max(600_000).default(20_000),
  /** Open connections one client address may hold (0: no limit; not applied behind TRUST_PROXY, where every socket is the proxy's). */
  QRL_MAX_SOCKETS_PER_IP: z.coerce.number().int().min(0).max(1_000_000).default(256),
  /** Status long-polls one client address may hold waiting at once; past it, polls answer at once. */
  QRL_MAX_LONG_POLLS_PER_IP: z.coerce.number().int().min(1).max(1_000_000).default(100),
  /** "false" sends the status long-poll through Next.js instead of server.mjs's fast path. */
  QRL_FAST_STATUS: z
    .enum(["true", "false"], "expected true or false")
    .default("true")
    .transform((v) => v === "true"),
  /** "false" sends the rest of the JSON API through Next.js instead of server.mjs's fast path. */
  QRL_FAST_API: z
    .enum(["true", "false"], "expected true or false")
    .default("true")
    .transform((v) => v === "true"),
  /** Where phones reach this app, e.g. https://login.example.com. Unset: derived from the request. */
  PUBLIC_URL: z.url().optional(),
  NEXTAUTH_SECRET: z.string().min(32, "at least 32 characters").optional(),
  NEXTAUTH_URL: z.url().optional(),
  /** The key recovery codes are hashed under (HMAC-SHA256). Unset: NEXTAUTH_SECRET's (changing that then voids every code). */
  RECOVERY_CODE_SECRET: z.string().min(32, "at least 32 characters").optional(),
  REDIS_URL: z.url().optional(),
  /** `host:port,host:port,…` of Redis Cluster nodes; used instead of REDIS_URL. */
  REDIS_CLUSTER_NODES: z
    .string()
    .regex(/^[^\s,:]+:\d+(,[^\s,:]+:\d+)*$/, "expected host:port,host:port,…")
    .optional(),
  /** `host:port,host:port,…` of Redis Sentinels; used instead of REDIS_URL, with REDIS_SENTINEL_NAME. */
  REDIS_SENTINELS: z
    .string()
    .regex(/^[^\s,:]+:\d+(,[^\s,:]+:\d+)*$/, "expected host:port,host:port,…")
    .optional(),
  /** The primary's name in the Sentinels' configuration (`sentinel monitor <name> …`). */
  REDIS_SENTINEL_NAME: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,64}$/, "expected a Sentinel primary name such as mymaster")
    .optional(),
  /** The Sentinels' own password (`requirepass` in sentinel.conf), when they have one. */
  REDIS_SENTINEL_PASSWORD: z.string().min(1).optional(),
  /** The Redis password (`requirepass`) for Sentinel- or Cluster-managed nodes. */
  REDIS_PASSWORD: z.string().min(1).optional(),
  /** "memory" forces the embedded store; required to use it in production. */
  QRL_STORE: z.enum(["redis", "memory"]).optional(),
  QRL_PENDING_TTL_S: seconds(120, 120),
  QRL_SCANNED_TTL_S: seconds(60, 60),
  QRL_CONFIRMED_TTL_S: seconds(30, 30),
  QRL_MAX_TTL_S: seconds(600, 600),
  /** How long a finished or expired ticket stays readable (as its final state). */
  QRL_TOMBSTONE_S: seconds(60, 3600),
  /** A code older than this when the phone first opened it gets the "old code" warning. */
  QRL_OLD_CODE_S: seconds(60, 600),
  QRL_POLL_INTERVAL_MS: z.coerce.number().int().min(200).max(10_000).default(1000),
  /** While a QR waits to be scanned, it is replaced this often (seconds; 0: never). 25 = the long-poll wait, so a waiting desktop polls no more often than without rotation. */
  QR_ROTATION_SECONDS: z.coerce.number().min(0).max(120).default(25),
  /** How long a replaced QR still scans (the phone was already opening it). */
  QR_ROTATION_GRACE_SECONDS: z.coerce.number().min(0).max(30).default(5),
  /** GeoIP database(s) (.mmdb, comma-separated paths): the requester's city, region and country. Unset: no location. */
  GEOIP_DB: z.string().min(1).optional(),
  /** Milliseconds a store command may take before the request fails with 503. */
  QRL_STORE_TIMEOUT_MS: z.coerce.number().int().min(50).max(10_000).default(800),
  /** `user:password[:Display Name]` entries, comma-separated: created in the database at start when missing. */
  QRL_DEMO_USERS: z.string().optional(),
  /** Whether anyone may create an account (/m/signup, /signup, POST /api/accounts). Default: open outside production, closed in production. */
  SIGNUP: z.enum(["open", "closed"], "expected open or closed").optional(),
  /** The system of record (accounts, passkeys, settings): PostgreSQL. Unset: the embedded PGlite in QRL_DATA_DIR. */
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\/\S+$/, "expected postgres://user:password@host:port/database")
    .optional(),
  /** The embedded database's folder (one process at a time), used without DATABASE_URL. */
  QRL_DATA_DIR: z.string().min(1).default(".data"),
  /** Connections each instance keeps open to PostgreSQL at most. */
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(1000).default(10),
  /** Milliseconds a database query may take (connection, statement) before the request fails with 503. */
  DATABASE_TIMEOUT_MS: z.coerce.number().int().min(50).max(60_000).default(1500),
  /** How many reverse proxies in front of the app add to X-Forwarded-For (0: none, use the socket). */
  TRUST_PROXY: z.coerce.number().int().min(0).max(10).default(0),
  SESSION_MAX_AGE_S: z.coerce.number().int().min(60).max(2_592_000).default(28_800),
  MOBILE_TOKEN_TTL_S: z.coerce.number().int().min(60).max(31_536_000).default(2_592_000),
  /** Ticket creations per client IP per minute. */
  QRL_RATE_CREATE_PER_MIN: z.coerce.number().int().min(1).max(100_000).default(30),
  /** Failed sign-ins in a row per username and IP before a 1-hour block. */
  QRL_RATE_SIGNIN_FAILS: z.coerce.number().int().min(1).max(1000).default(10),
  /** Failed recovery attempts (password and recovery code) per username and IP before a 1-hour block. */
  QRL_RATE_RECOVERY_FAILS: z.coerce.number().int().min(1).max(1000).default(5),
  /** Failed sign-ins per IP per day. */
  QRL_RATE_SIGNIN_FAILS_PER_IP_DAY: z.coerce.number().int().min(1).max(100_000).default(100),
  /** New accounts per client IP per hour (sign-up; a refused sign-up uses a point too). */
  QRL_RATE_SIGNUP_PER_IP_HOUR: z.coerce.number().int().min(1).max(100_000).default(10),
  /** Typed-code lookups per approver (user) per 10 minutes; a lookup that finds its code is given back. */
  QRL_RATE_LOOKUP_PER_USER: z.coerce.number().int().min(1).max(10_000).default(10),
  /** Typed-code lookups per client IP per 10 minutes (all users behind it together). */
  QRL_RATE_LOOKUP_PER_IP: z.coerce.number().int().min(1).max(100_000).default(30),
  /** Passkey challenges asked for (registration/begin and step-up together) per user per minute. */
  QRL_RATE_PASSKEY_BEGIN_PER_MIN: z.coerce.number().int().min(1).max(10_000).default(20),
  /** Status requests per ticket per minute on one instance (a long-poll needs ~3, 1-s polling 60). */
  QRL_RATE_STATUS_PER_MIN: z.coerce.number().int().min(10).max(100_000).default(120),
  /** Enables GET /api/metrics (Prometheus), for requests with `Authorization: Bearer <token>`. */
  METRICS_TOKEN: z.string().min(16, "at least 16 characters").optional(),
  /** Where signed webhooks (Standard Webhooks) go: login.approved, login.completed, … Unset: none sent. */
  WEBHOOK_URL: z.url().optional(),
  /** The Standard Webhooks signing secret, `whsec_` + base64 of 24–64 random bytes. */
  WEBHOOK_SECRET: z
    .string()
    .regex(/^whsec_[A-Za-z0-9+/]{32,88}={0,2}$/, "expected whsec_ followed by base64 (24–64 bytes)")
    .optional(),
  /** Delivery attempts per webhook message, the first included. */
  WEBHOOK_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(30).default(10),
  /** The first retry's wait; each next one waits twice as long. */
  WEBHOOK_RETRY_BASE_MS: z.coerce.number().int().min(10).max(3_600_000).default(5000),
  /**
   * The OpenID Provider's clients (README "Use it from any app"): a JSON array, or the path of a
   * JSON file holding one. Unset: the provider at /oidc has no clients (discovery still answers).
   */
  OIDC_CLIENTS: z.string().min(1).optional(),
  /**
   * The provider's private signing keys: a JWKS (JSON), or the path of a file holding one. Unset:
   * one key is generated on first start and kept in QRL_DATA_DIR (oidc-jwks.json).
   */
  OIDC_JWKS: z.string().min(1).optional(),
  /** Lifetime of an OIDC interaction (the sign-in page an app sent its user to). */
  OIDC_INTERACTION_TTL_S: z.coerce.number().int().min(2).max(3600).default(600),
  /** Lifetime of an authorization code. */
  OIDC_CODE_TTL_S: z.coerce.number().int().min(5).max(600).default(60),
  /** Lifetime of a device-grant code (RFC 8628): how long the TV or command line waits. */
  OIDC_DEVICE_CODE_TTL_S: z.coerce.number().int().min(10).max(1800).default(600),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
});

export type Env = ReturnType<typeof parse>;

const DEFAULT_DEMO_USERS = "alice:wonderland:Alice Liddell,bob:builder:Bob Martin";

type Source = Record<string, string | undefined>;

function parse(source: Source) {
  const raw = Object.fromEntries(
    Object.entries(source).filter(([, value]) => value !== undefined && value !== ""),
  );
  const result = schema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0];
    const name = issue?.path.join(".") ?? "environment";
    throw new EnvError(`Invalid environment variable ${name}: ${issue?.message ?? "invalid"}`);
  }
  const e = result.data;
  const production = e.NODE_ENV === "production";
  if (e.REDIS_SENTINELS && !e.REDIS_SENTINEL_NAME) {
    throw new EnvError(
      "Invalid environment variable REDIS_SENTINEL_NAME: required with REDIS_SENTINELS (the name in `sentinel monitor`)",
    );
  }
  const redisConfigured = Boolean(e.REDIS_URL || e.REDIS_CLUSTER_NODES || e.REDIS_SENTINELS);
  const store = e.QRL_STORE ?? (redisConfigured ? "redis" : "memory");
  if (store === "redis" && !redisConfigured) {
    throw new EnvError("Invalid environment variable REDIS_URL: required when QRL_STORE=redis");
  }
  if (production && store === "memory" && e.QRL_STORE !== "memory") {
    throw new EnvError(
      "Invalid environment variable REDIS_URL: required in production (or set QRL_STORE=memory for a single-instance demo)",
    );
  }
  if ((e.REDIS_CLUSTER_NODES || e.REDIS_SENTINELS) && !e.DATABASE_URL) {
    throw new EnvError(
      "Invalid environment variable DATABASE_URL: required with Redis Cluster or Sentinel (several instances share one database; the embedded one serves a single process)",
    );
  }
  if (production && !e.NEXTAUTH_SECRET) {
    throw new EnvError("Invalid environment variable NEXTAUTH_SECRET: required in production");
  }
  if (Boolean(e.WEBHOOK_URL) !== Boolean(e.WEBHOOK_SECRET)) {
    const missing = e.WEBHOOK_URL ? "WEBHOOK_SECRET" : "WEBHOOK_URL";
    throw new EnvError(
      `Invalid environment variable ${missing}: WEBHOOK_URL and WEBHOOK_SECRET go together`,
    );
  }
  return {
    ...e,
    production,
    store,
    clusterNodes: hostPorts(e.REDIS_CLUSTER_NODES),
    sentinels: hostPorts(e.REDIS_SENTINELS),
    /** Cookies get Secure and the __Host-/__Secure- prefixes when the public URL is https. */
    secureCookies: (e.PUBLIC_URL ?? e.NEXTAUTH_URL ?? "").startsWith("https:"),
    /** Signs sessions and binding cookies; outside production a per-process key when unset. */
    authSecret: e.NEXTAUTH_SECRET ?? devSecret(),
    /** Sign-up (SIGNUP): open by default only outside production (and under `npm run demo`). */
    signupOpen: (e.SIGNUP ?? (production ? "closed" : "open")) === "open",
    recoverySecret: e.RECOVERY_CODE_SECRET ?? e.NEXTAUTH_SECRET ?? devSecret(),
    demoUsers: source.QRL_DEMO_USERS ?? (production ? "" : DEFAULT_DEMO_USERS),
    database: databaseSettings(e),
    ttl: {
      pendingMs: e.QRL_PENDING_TTL_S,
      scannedMs: e.QRL_SCANNED_TTL_S,
      confirmedMs: e.QRL_CONFIRMED_TTL_S,
      maxMs: e.QRL_MAX_TTL_S,
      tombstoneMs: e.QRL_TOMBSTONE_S,
      rotationMs: Math.round(e.QR_ROTATION_SECONDS * 1000),
      rotationGraceMs: Math.round(e.QR_ROTATION_GRACE_SECONDS * 1000),
    },
  } as const;
}

/** Where the accounts live: PostgreSQL at DATABASE_URL, else PGlite in QRL_DATA_DIR. */
export type DatabaseSettings =
  | { kind: "postgres"; url: string; poolMax: number; timeoutMs: number }
  | { kind: "pglite"; dataDir: string; timeoutMs: number };

const databaseSettings = (
  e: Pick<
    z.infer<typeof schema>,
    "DATABASE_URL" | "QRL_DATA_DIR" | "DATABASE_POOL_MAX" | "DATABASE_TIMEOUT_MS"
  >,
): DatabaseSettings =>
  e.DATABASE_URL
    ? {
        kind: "postgres",
        url: e.DATABASE_URL,
        poolMax: e.DATABASE_POOL_MAX,
        timeoutMs: e.DATABASE_TIMEOUT_MS,
      }
    : { kind: "pglite", dataDir: e.QRL_DATA_DIR, timeoutMs: e.DATABASE_TIMEOUT_MS };

const hostPorts = (list: string | undefined) =>
  (list?.split(",") ?? []).map((node) => {
    const [host = "", port = ""] = node.split(":");
    return { host, port: Number(port) };
  });

/** One per process (every bundle of it), so cookies signed by one route verify in another. */
const devSecret = (): string => singleton("devSecret", () => randomBytes(32).toString("base64url"));

export class EnvError extends Error {
  override name = "EnvError";
}

let cached: Env | undefined;

export function env(): Env {
  cached ??= parse(process.env);
  return cached;
}

/**
 * The database settings alone (DATABASE_URL, QRL_DATA_DIR, DATABASE_POOL_MAX,
 * DATABASE_TIMEOUT_MS), for the operators' commands (`npm run users`,
 * `npm run db:migrate`), which need neither Redis nor the session secret.
 */
export function databaseEnv(source: Source = process.env): DatabaseSettings {
  const raw = Object.fromEntries(
    Object.entries(source).filter(([, value]) => value !== undefined && value !== ""),
  );
  const result = schema
    .pick({
      DATABASE_URL: true,
      QRL_DATA_DIR: true,
      DATABASE_POOL_MAX: true,
      DATABASE_TIMEOUT_MS: true,
    })
    .safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new EnvError(
      `Invalid environment variable ${issue?.path.join(".") ?? "environment"}: ${issue?.message ?? "invalid"}`,
    );
  }
  return databaseSettings(result.data);
}

/** OIDC_CLIENTS alone, for the operators' command (`npm run users -- clients`). */
export function oidcClientsEnv(source: Source = process.env): string | undefined {
  return source.OIDC_CLIENTS || undefined;
}

/** For tests: parse an explicit environment without touching the cache. */
export function parseEnv(source: Source): Env {
  return parse(source);
}

import "server-only";
import {
  type IRateLimiterOptions,
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
} from "rate-limiter-flexible";
import { env } from "./env";
import { ApiError } from "./http/errors";
import { metrics } from "./metrics";
import { limitKeyOf } from "./net/network";
import { redis, whenReady } from "./redis";
import { singleton } from "./registry";
import { withDeadline } from "./store/deadline";
import { keys } from "./store/keys";
import { StoreUnavailableError } from "./store/kv";
import { normalizeUsername } from "./users/username";

/**
 * Abuse limits (rate-limiter-flexible). Counters live in Redis, incremented
 * by one Lua script each, so they hold exactly across instances and under
 * bursts; on the embedded store they live in memory. When Redis is down the
 * limiters fail closed: the request is refused with 503, never let through.
 */
type Limiter = RateLimiterRedis | RateLimiterMemory;

/**
 * The longest window the memory limiter can keep, seconds: it expires records
 * with setTimeout, which fires at once past 2^31 - 1 ms (about 24.8 days), so a
 * longer window would forget every count immediately.
 */
const MEMORY_MAX_S = Math.floor((2 ** 31 - 1) / 1000);

function make(options: IRateLimiterOptions & { local?: boolean }): Limiter {
  const client = options.local ? null : redis();
  if (client) {
    return new RateLimiterRedis({ ...options, storeClient: client, rejectIfRedisNotReady: true });
  }
  const capped = { ...options };
  if (capped.duration !== undefined) capped.duration = Math.min(capped.duration, MEMORY_MAX_S);
  if (capped.blockDuration !== undefined) {
    capped.blockDuration = Math.min(capped.blockDuration, MEMORY_MAX_S);
  }
  return new RateLimiterMemory(capped);
}

/** The window of the typed-code lookup limits, seconds. */
export const LOOKUP_WINDOW_S = 600;

function build() {
  const e = env();
  return {
    create: make({
      keyPrefix: keys.rateLimit("create"),
      points: e.QRL_RATE_CREATE_PER_MIN,
      duration: 60,
    }),
    signInByUserIp: make({
      keyPrefix: keys.rateLimit("signin-user-ip"),
      points: e.QRL_RATE_SIGNIN_FAILS,
      duration: 60 * 60 * 24 * 30,
      blockDuration: 60 * 60,
    }),
    signInByIp: make({
      keyPrefix: keys.rateLimit("signin-ip"),
      points: e.QRL_RATE_SIGNIN_FAILS_PER_IP_DAY,
      duration: 60 * 60 * 24,
      blockDuration: 60 * 60 * 24,
    }),
    signUpByIp: make({
      keyPrefix: keys.rateLimit("signup-ip"),
      points: e.QRL_RATE_SIGNUP_PER_IP_HOUR,
      duration: 60 * 60,
    }),
    // Lost-passkey recovery (password and a recovery code): few tries, then an hour's wait.
    recoverByUserIp: make({
      keyPrefix: keys.rateLimit("recover-user-ip"),
      points: e.QRL_RATE_RECOVERY_FAILS,
      duration: 60 * 60 * 24,
      blockDuration: 60 * 60,
    }),
    // Typed user codes (RFC 8628 §5.1): a 10-minute window outlasts a code's whole life (≤ 11 min).
    lookupByUser: make({
      keyPrefix: keys.rateLimit("lookup-user"),
      points: e.QRL_RATE_LOOKUP_PER_USER,
      duration: LOOKUP_WINDOW_S,
    }),
    lookupByIp: make({
      keyPrefix: keys.rateLimit("lookup-ip"),
      points: e.QRL_RATE_LOOKUP_PER_IP,
      duration: LOOKUP_WINDOW_S,
    }),
    // Passkey challenges: each is kept for 2 minutes, so asking for them is limited per user.
    passkeyBegin: make({
      keyPrefix: keys.rateLimit("passkey-begin"),
      points: e.QRL_RATE_PASSKEY_BEGIN_PER_MIN,
      duration: 60,
    }),
    // The phone's read of the ticket it answered (approval long-poll): as the status read, per
    // ticket and reader, per instance.
    approval: make({
      keyPrefix: keys.rateLimit("approval"),
      points: Math.max(e.QRL_RATE_STATUS_PER_MIN, Math.ceil((2 * 60_000) / e.QRL_POLL_INTERVAL_MS)),
      duration: 60,
      local: true,
    }),
    // Anti-hammering of one ticket's status: per instance, no Redis round trip on the hot path.
    status: make({
      keyPrefix: keys.rateLimit("status"),
      // Never below twice what the login page's own polling needs.
      points: Math.max(e.QRL_RATE_STATUS_PER_MIN, Math.ceil((2 * 60_000) / e.QRL_POLL_INTERVAL_MS)),
      duration: 60,
      local: true,
    }),
  };
}

export type Limits = ReturnType<typeof build>;
const limits = (): Limits => singleton("limits", build);

/**
 * A limiter call under the store's deadline: a stalled Redis is a 503 in
 * about a second, never a hang. In-memory limiters need none (and the status
 * limiter is on the hot path).
 */
function bounded<T>(limiter: Limiter, call: () => Promise<T>): Promise<T> {
  if (!(limiter instanceof RateLimiterRedis)) return call();
  // A connection still being made is waited for, under the same deadline (lib/redis.ts).
  const client = redis();
  const wait = client ? whenReady(client) : undefined;
  return withDeadline(
    env().QRL_STORE_TIMEOUT_MS,
    wait ? () => wait.then(call) : call,
    "rate limiter",
  );
}

/** Takes one point; 429 with Retry-After when none is left, 503 when the store is down. */
async function take(limiter: Limiter, key: string): Promise<void> {
  const refused = await bounded(limiter, () =>
    limiter.consume(key).then(
      () => null,
      (result: unknown) => {
        if (result instanceof RateLimiterRes) return result;
        throw new StoreUnavailableError("rate limiter store failed", { cause: result });
      },
    ),
  );
  if (refused) {
    metrics().rateLimited.inc({ limit: limiter.keyPrefix.slice(keys.rateLimit("").length) });
    const seconds = Math.max(1, Math.ceil(refused.msBeforeNext / 1000));
    throw new ApiError("rate_limited", undefined, { "Retry-After": String(seconds) });
  }
}

/** Gives points back after a success; best effort (a failure only leaves the count higher). */
const giveBack = (limiter: Limiter, call: () => Promise<unknown>) =>
  bounded(limiter, call).catch(() => {});

export const limitCreate = (clientIp: string) => take(limits().create, limitKeyOf(clientIp));
export const limitStatus = (ticketId: string) => take(limits().status, ticketId);
/** One read of a ticket's approval by the phone that scanned it. */
export const limitApproval = (ticketId: string, userId: string) =>
  take(limits().approval, `${ticketId}|${userId}`);
/** One sign-up (an account made or refused) from this client (an IPv6 client's whole /64). */
export const limitSignUp = (clientIp: string) => take(limits().signUpByIp, limitKeyOf(clientIp));
/** Forgets the counters kept under a user id (a deleted account): its lookups and passkey challenges. */
export async function forgetUserLimits(userId: string): Promise<void> {
  const l = limits();
  for (const limiter of [l.lookupByUser, l.passkeyBegin]) {
    await bounded(limiter, () => limiter.delete(userId));
  }
}
/** One passkey challenge (registration/begin, step-up, a ticket's passkey/begin) asked for by this user. */
export const limitPasskeyBegin = (userId: string) => take(limits().passkeyBegin, userId);

/** One counter an attempt takes a point from, and what a success does to it. */
interface Counter {
  limiter: Limiter;
  key: string;
  /** "refund": the point comes back; "reset": the key's whole count goes. */
  onSuccess: "refund" | "reset";
}

/**
 * Guards an attempt against guessing: a point is taken from every counter
 * before the attempt runs (so N+10 parallel attempts let exactly N through);
 * an attempt that succeeds (anything but null) gives back as each counter
 * says, so only failures, which is all guessing produces, use up the
 * allowance.
 */
async function guarded<T>(counters: Counter[], attempt: () => Promise<T | null>) {
  for (const { limiter, key } of counters) await take(limiter, key);
  const result = await attempt();
  if (result !== null) {
    await Promise.all(
      counters.map(({ limiter, key, onSuccess }) =>
        giveBack(limiter, () =>
          onSuccess === "reset" ? limiter.delete(key) : limiter.reward(key, 1),
        ),
      ),
    );
  }
  return result;
}

/**
 * A password check: counts go by the client's limit key (an IPv6 client's
 * whole /64) and by the username's one normal form with it (every spelling
 * of it shares them); a success clears the username+IP count.
 */
export const guardSignIn = <T>(
  username: string,
  clientIp: string,
  verify: () => Promise<T | null>,
) => guardPassword(limits().signInByUserIp, username, clientIp, verify);

/**
 * A lost-passkey recovery (password and recovery code), guarded as a sign-in
 * under its own, smaller per-username-and-IP allowance and the sign-ins' per-IP one.
 */
export const guardRecovery = <T>(
  username: string,
  clientIp: string,
  recover: () => Promise<T | null>,
) => guardPassword(limits().recoverByUserIp, username, clientIp, recover);

function guardPassword<T>(
  byUserIp: Limiter,
  username: string,
  clientIp: string,
  check: () => Promise<T | null>,
) {
  const ip = limitKeyOf(clientIp);
  return guarded(
    [
      { limiter: limits().signInByIp, key: ip, onSuccess: "refund" },
      { limiter: byUserIp, key: `${normalizeUsername(username)}|${ip}`, onSuccess: "reset" },
    ],
    check,
  );
}

/** A typed-code lookup: per IP (its limit key) and per approver; a found ticket refunds both. */
export function guardLookup<T>(userId: string, clientIp: string, find: () => Promise<T | null>) {
  const l = limits();
  return guarded(
    [
      { limiter: l.lookupByIp, key: limitKeyOf(clientIp), onSuccess: "refund" },
      { limiter: l.lookupByUser, key: userId, onSuccess: "refund" },
    ],
    find,
  );
}

/**
 * A device grant's user code typed on the provider's own page (/oidc/device,
 * RFC 8628): the typed-code limit per IP, taken before the provider looks the
 * code up and given back when it found one, as guardLookup. (The person may
 * not be signed in yet there: the provider asks after the code.)
 */
export async function guardDeviceCodeGuess(clientIp: string, attempt: () => Promise<boolean>) {
  const l = limits();
  const ip = limitKeyOf(clientIp);
  await take(l.lookupByIp, ip);
  const found = await attempt();
  if (found) await giveBack(l.lookupByIp, () => l.lookupByIp.reward(ip, 1));
  return found;
}

import "server-only";
import { createHash } from "node:crypto";

/**
 * The few storage primitives the app needs. Two implementations: Redis
 * (`redis-kv.ts`) and the embedded memory store (`memory-kv.ts`). Everything
 * above this interface (the ticket state machine, tokens) is written once.
 */
export interface KvStore {
  readonly kind: "redis" | "memory";
  /** A hash, or null when the key does not exist. */
  getHash(key: string): Promise<Record<string, string> | null>;
  /** Creates the hash only if the key is absent; expires it at `expireAtMs`. */
  createHash(key: string, fields: Record<string, string>, expireAtMs: number): Promise<boolean>;
  /**
   * One atomic compare-and-set: when the hash's `version` field equals
   * `expectedVersion`, writes `fields`, sets the expiry and publishes `event`.
   * Returns false (and changes nothing) otherwise.
   */
  casHash(
    key: string,
    expectedVersion: number,
    fields: Record<string, string>,
    expireAtMs: number,
    event: StoreEvent,
  ): Promise<boolean>;
  /** SET with a lifetime; with `onlyIfAbsent`, false when the key exists. */
  setString(key: string, value: string, ttlMs: number, onlyIfAbsent?: boolean): Promise<boolean>;
  getString(key: string): Promise<string | null>;
  del(key: string): Promise<void>;
  /** One field of a hash, or null when the key or the field does not exist. */
  getField(key: string, field: string): Promise<string | null>;
  /**
   * Sets one field of a hash and makes the whole hash expire `ttlMs` from now.
   * With `onlyIfPresent`, writes only when the field exists already (so an
   * update never brings back a deleted field). Returns whether it wrote.
   */
  setField(
    key: string,
    field: string,
    value: string,
    ttlMs: number,
    onlyIfPresent?: boolean,
  ): Promise<boolean>;
  /** Deletes one field of a hash; true when it existed. */
  deleteField(key: string, field: string): Promise<boolean>;
  /**
   * Sets one field of a hash and keeps only its newest `maxFields` fields
   * (the oldest dropped), all in one atomic step; the hash (and the order
   * kept beside it) expire `ttlMs` from now. Returns the field count after.
   */
  setFieldCapped(
    key: string,
    field: string,
    value: string,
    ttlMs: number,
    maxFields: number,
  ): Promise<number>;
  /**
   * Adds a field that does not exist yet, only when the hash's other fields
   * (names not starting with "$") are exactly those whose `fieldsDigest` is
   * `expectedDigest`: one atomic compare-and-set on the set of names. Renews
   * the hash's lifetime to `ttlMs` when it writes.
   */
  addFieldIfKeysMatch(
    key: string,
    field: string,
    value: string,
    expectedDigest: string,
    ttlMs: number,
  ): Promise<"written" | "exists" | "changed">;
  /** Puts `value` at the head of a list, keeps its newest `maxLength` entries, expires it `ttlMs` from now. */
  pushCapped(key: string, value: string, maxLength: number, ttlMs: number): Promise<void>;
  /** Up to `count` entries from the head of a list (newest first); [] when it does not exist. */
  listHead(key: string, count: number): Promise<string[]>;
  /** Milliseconds until the key expires; -2 when it does not exist (as Redis PTTL). */
  pttl(key: string): Promise<number>;
  ping(): Promise<void>;
  /** Publishes `message` to every instance's subscription on `channel`. */
  publish(channel: string, message: string): Promise<void>;
  /**
   * Delivers every message published on `channel`, by any instance, to
   * `onMessage`; calls `onResync` when messages may have been missed (the
   * connection dropped and came back). Returns the unsubscribe function.
   * `timeoutMs` bounds the wait for the subscription (default: the store's
   * deadline; longer at server start, lib/server/entry.ts).
   */
  subscribe(
    channel: string,
    handlers: Subscriber,
    o?: { timeoutMs?: number },
  ): Promise<() => Promise<void>>;
}

export interface Subscriber {
  onMessage(message: string): void;
  onResync(): void;
}

export interface StoreEvent {
  channel: string;
  message: string;
}

/** The store did not answer in time or is unreachable: the request fails with 503. */
export class StoreUnavailableError extends Error {
  override name = "StoreUnavailableError";
  /**
   * Checked by name, not `instanceof`: Next.js bundles instrumentation and
   * each route separately, so one process can hold two copies of this class.
   */
  static is(error: unknown): error is StoreUnavailableError {
    return error instanceof Error && error.name === "StoreUnavailableError";
  }
}

/**
 * The digest of a set of hash field names as addFieldIfKeysMatch compares it:
 * names starting with "$" left out, the rest sorted bytewise, joined by "\n", SHA-1 (hex).
 */
export function fieldsDigest(names: Iterable<string>): string {
  const members = [...names]
    .filter((n) => !n.startsWith("$"))
    .sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  return createHash("sha1").update(members.join("\n")).digest("hex");
}

/** The key beside a capped hash that keeps its fields' order (same hash tag, same Cluster slot). */
export const orderKeyOf = (key: string) => `${key}:order`;

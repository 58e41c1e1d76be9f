import "server-only";
import { EventEmitter } from "node:events";
import { fieldsDigest, type KvStore, type StoreEvent, type Subscriber } from "./kv";

type Entry = { value: Map<string, string> | string[] | string; expireAt: number };

/**
 * The embedded store for a single instance without Redis. Node runs each
 * method to completion without interleaving, so every method is atomic.
 */
export class MemoryKv implements KvStore {
  readonly kind = "memory" as const;
  readonly events = new EventEmitter();
  private readonly data = new Map<string, Entry>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(private readonly now: () => number = Date.now) {
    this.events.setMaxListeners(0);
    this.sweeper = setInterval(() => this.sweep(), 10_000);
    this.sweeper.unref();
  }

  private live(key: string): Entry | undefined {
    const entry = this.data.get(key);
    if (entry && entry.expireAt <= this.now()) {
      this.data.delete(key);
      return undefined;
    }
    return entry;
  }

  private sweep() {
    for (const key of this.data.keys()) this.live(key);
  }

  async getHash(key: string) {
    const entry = this.live(key);
    return entry?.value instanceof Map ? Object.fromEntries(entry.value) : null;
  }

  async createHash(key: string, fields: Record<string, string>, expireAtMs: number) {
    if (this.live(key)) return false;
    this.data.set(key, { value: new Map(Object.entries(fields)), expireAt: expireAtMs });
    return true;
  }

  async casHash(
    key: string,
    expectedVersion: number,
    fields: Record<string, string>,
    expireAtMs: number,
    event: StoreEvent,
  ) {
    const entry = this.live(key);
    if (!(entry?.value instanceof Map)) return false;
    if (entry.value.get("version") !== String(expectedVersion)) return false;
    for (const [field, value] of Object.entries(fields)) entry.value.set(field, value);
    entry.expireAt = expireAtMs;
    this.events.emit(event.channel, event.message);
    return true;
  }

  async setString(key: string, value: string, ttlMs: number, onlyIfAbsent = false) {
    if (onlyIfAbsent && this.live(key)) return false;
    this.data.set(key, { value, expireAt: this.now() + ttlMs });
    return true;
  }

  async getString(key: string) {
    const entry = this.live(key);
    return entry && typeof entry.value === "string" ? entry.value : null;
  }

  async del(key: string) {
    this.data.delete(key);
  }

  async getField(key: string, field: string) {
    const entry = this.live(key);
    return entry?.value instanceof Map ? (entry.value.get(field) ?? null) : null;
  }

  async setField(key: string, field: string, value: string, ttlMs: number, onlyIfPresent = false) {
    const entry = this.live(key);
    const hash = entry?.value instanceof Map ? entry.value : undefined;
    if (onlyIfPresent && !hash?.has(field)) return false;
    if (entry && !hash) throw new Error(`${key} is not a hash`);
    const target = hash ?? new Map<string, string>();
    target.set(field, value);
    this.data.set(key, { value: target, expireAt: this.now() + ttlMs });
    return true;
  }

  async deleteField(key: string, field: string) {
    const entry = this.live(key);
    if (!(entry?.value instanceof Map)) return false;
    const existed = entry.value.delete(field);
    if (entry.value.size === 0) this.data.delete(key);
    return existed;
  }

  async setFieldCapped(
    key: string,
    field: string,
    value: string,
    ttlMs: number,
    maxFields: number,
  ) {
    const entry = this.live(key);
    if (entry && !(entry.value instanceof Map)) throw new Error(`${key} is not a hash`);
    // A Map keeps insertion order: its first keys are the oldest.
    const hash = entry?.value instanceof Map ? entry.value : new Map<string, string>();
    hash.delete(field);
    hash.set(field, value);
    for (const oldest of hash.keys()) {
      if (hash.size <= maxFields) break;
      hash.delete(oldest);
    }
    this.data.set(key, { value: hash, expireAt: this.now() + ttlMs });
    return hash.size;
  }

  async addFieldIfKeysMatch(
    key: string,
    field: string,
    value: string,
    expectedDigest: string,
    ttlMs: number,
  ) {
    const entry = this.live(key);
    if (entry && !(entry.value instanceof Map)) throw new Error(`${key} is not a hash`);
    const hash = entry?.value instanceof Map ? entry.value : new Map<string, string>();
    if (hash.has(field)) return "exists" as const;
    if (fieldsDigest(hash.keys()) !== expectedDigest) return "changed" as const;
    hash.set(field, value);
    this.data.set(key, { value: hash, expireAt: this.now() + ttlMs });
    return "written" as const;
  }

  async pushCapped(key: string, value: string, maxLength: number, ttlMs: number) {
    const entry = this.live(key);
    const list = Array.isArray(entry?.value) ? entry.value : [];
    if (entry && !Array.isArray(entry.value)) throw new Error(`${key} is not a list`);
    list.unshift(value);
    list.length = Math.min(list.length, maxLength);
    this.data.set(key, { value: list, expireAt: this.now() + ttlMs });
  }

  async listHead(key: string, count: number) {
    const entry = this.live(key);
    return Array.isArray(entry?.value) ? entry.value.slice(0, count) : [];
  }

  async pttl(key: string) {
    const entry = this.live(key);
    return entry ? entry.expireAt - this.now() : -2;
  }

  async ping() {}

  async publish(channel: string, message: string) {
    this.events.emit(channel, message);
  }

  async subscribe(channel: string, handlers: Subscriber) {
    this.events.on(channel, handlers.onMessage);
    return async () => void this.events.off(channel, handlers.onMessage);
  }

  close() {
    clearInterval(this.sweeper);
  }
}

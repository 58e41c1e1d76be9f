import "server-only";
import { EventEmitter } from "node:events";
import type { KvStore, StoreEvent, Subscriber } from "./kv";

type Entry = { value: Map<string, string> | string; expireAt: number };

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
    return entry && typeof entry.value !== "string" ? Object.fromEntries(entry.value) : null;
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
    if (!entry || typeof entry.value === "string") return false;
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

  async pttl(key: string) {
    const entry = this.live(key);
    return entry ? entry.expireAt - this.now() : -2;
  }

  async ping() {}

  async subscribe(channel: string, handlers: Subscriber) {
    this.events.on(channel, handlers.onMessage);
    return async () => void this.events.off(channel, handlers.onMessage);
  }

  close() {
    clearInterval(this.sweeper);
  }
}

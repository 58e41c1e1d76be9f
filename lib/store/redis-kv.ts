import "server-only";
import { type RedisClient, whenReady } from "../redis";
import { withDeadline } from "./deadline";
import { type KvStore, orderKeyOf, type StoreEvent, type Subscriber } from "./kv";
import {
  ADD_FIELD_IF_KEYS_MATCH,
  CAS_HASH,
  CREATE_HASH,
  PUSH_CAPPED,
  SET_FIELD,
  SET_FIELD_CAPPED,
} from "./scripts";

const flatten = (fields: Record<string, string>) => Object.entries(fields).flat();

/** The Redis store. Every call is bounded by `timeoutMs` and fails as StoreUnavailableError. */
export class RedisKv implements KvStore {
  readonly kind = "redis" as const;

  constructor(
    readonly client: RedisClient,
    private readonly timeoutMs: number,
  ) {
    if (!client.qrlCas) {
      client.defineCommand("qrlCreate", { numberOfKeys: 1, lua: CREATE_HASH });
      client.defineCommand("qrlCas", { numberOfKeys: 1, lua: CAS_HASH });
    }
    if (!client.qrlSetField) {
      client.defineCommand("qrlSetField", { numberOfKeys: 1, lua: SET_FIELD });
      client.defineCommand("qrlPushCapped", { numberOfKeys: 1, lua: PUSH_CAPPED });
    }
    if (!client.qrlSetFieldCapped) {
      client.defineCommand("qrlSetFieldCapped", { numberOfKeys: 2, lua: SET_FIELD_CAPPED });
      client.defineCommand("qrlAddFieldIfKeysMatch", {
        numberOfKeys: 1,
        lua: ADD_FIELD_IF_KEYS_MATCH,
      });
    }
  }

  private run<T>(command: () => Promise<T>): Promise<T> {
    const wait = whenReady(this.client);
    return withDeadline(this.timeoutMs, wait ? () => wait.then(command) : command);
  }

  async getHash(key: string) {
    const hash = await this.run(() => this.client.hgetall(key));
    return Object.keys(hash).length > 0 ? hash : null;
  }

  async createHash(key: string, fields: Record<string, string>, expireAtMs: number) {
    return (await this.run(() => this.client.qrlCreate(key, expireAtMs, ...flatten(fields)))) === 1;
  }

  async casHash(
    key: string,
    expectedVersion: number,
    fields: Record<string, string>,
    expireAtMs: number,
    event: StoreEvent,
  ) {
    const written = await this.run(() =>
      this.client.qrlCas(
        key,
        expectedVersion,
        expireAtMs,
        event.channel,
        event.message,
        ...flatten(fields),
      ),
    );
    return written === 1;
  }

  async setString(key: string, value: string, ttlMs: number, onlyIfAbsent = false) {
    const reply = await this.run(() =>
      onlyIfAbsent
        ? this.client.set(key, value, "PX", ttlMs, "NX")
        : this.client.set(key, value, "PX", ttlMs),
    );
    return reply === "OK";
  }

  async getString(key: string) {
    return this.run(() => this.client.get(key));
  }

  async del(key: string) {
    await this.run(() => this.client.del(key));
  }

  async getField(key: string, field: string) {
    return this.run(() => this.client.hget(key, field));
  }

  async setField(key: string, field: string, value: string, ttlMs: number, onlyIfPresent = false) {
    const written = await this.run(() =>
      this.client.qrlSetField(key, field, value, ttlMs, onlyIfPresent ? "1" : "0"),
    );
    return written === 1;
  }

  async deleteField(key: string, field: string) {
    return (await this.run(() => this.client.hdel(key, field))) === 1;
  }

  async setFieldCapped(
    key: string,
    field: string,
    value: string,
    ttlMs: number,
    maxFields: number,
  ) {
    return this.run(() =>
      this.client.qrlSetFieldCapped(key, orderKeyOf(key), field, value, ttlMs, maxFields),
    );
  }

  async addFieldIfKeysMatch(
    key: string,
    field: string,
    value: string,
    expectedDigest: string,
    ttlMs: number,
  ) {
    const reply = await this.run(() =>
      this.client.qrlAddFieldIfKeysMatch(key, field, value, expectedDigest, ttlMs),
    );
    return reply === 1 ? "written" : reply === -1 ? "exists" : "changed";
  }

  async pushCapped(key: string, value: string, maxLength: number, ttlMs: number) {
    await this.run(() => this.client.qrlPushCapped(key, value, maxLength, ttlMs));
  }

  async listHead(key: string, count: number) {
    return this.run(() => this.client.lrange(key, 0, count - 1));
  }

  async pttl(key: string) {
    return this.run(() => this.client.pttl(key));
  }

  async publish(channel: string, message: string) {
    await this.run(() => this.client.publish(channel, message));
  }

  async ping() {
    await this.run(() => this.client.ping());
  }

  /** One extra connection, in subscriber mode; ioredis resubscribes after a reconnect. */
  async subscribe(channel: string, handlers: Subscriber, o: { timeoutMs?: number } = {}) {
    // Its own connection, queueing its SUBSCRIBE until connected (run() still bounds the wait).
    const subscriber =
      "nodes" in this.client
        ? this.client.duplicate(undefined, { enableOfflineQueue: true })
        : this.client.duplicate({ enableOfflineQueue: true });
    subscriber.on("error", () => {});
    subscriber.on("message", (from: string, message: string) => {
      if (from === channel) handlers.onMessage(message);
    });
    let connectedBefore = false;
    subscriber.on("ready", () => {
      if (connectedBefore) handlers.onResync();
      connectedBefore = true;
    });
    try {
      // SUBSCRIBE only once this connection is ready: one sent during its handshake (ioredis
      // writes it straight away, before its CLIENT SETINFO and ready check) puts the
      // connection in subscriber mode, the handshake's next command fails, and ioredis
      // remakes the connection without the subscription: this instance would hear nothing.
      await withDeadline(o.timeoutMs ?? this.timeoutMs, async () => {
        await whenReady(subscriber);
        return subscriber.subscribe(channel);
      });
    } catch (error) {
      subscriber.disconnect();
      throw error;
    }
    return async () => void (await subscriber.quit());
  }
}

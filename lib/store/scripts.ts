import "server-only";
import type { Result } from "ioredis";

/**
 * Lua scripts, registered on the client with `defineCommand` (ioredis runs
 * them with EVALSHA and falls back to EVAL after a SCRIPT FLUSH or a restart).
 * Each touches only KEYS[1], so it runs on Redis Cluster too.
 */

/**
 * qrlCreate: create a hash unless the key exists.
 * KEYS[1]  the hash
 * ARGV[1]  absolute expiry, unix ms
 * ARGV[2…] field, value, field, value, …
 * Returns 1 when created, 0 when the key already existed.
 */
export const CREATE_HASH = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], unpack(ARGV, 2))
redis.call('PEXPIREAT', KEYS[1], ARGV[1])
return 1
`;

/**
 * qrlCas: compare-and-set on the hash's version field, then publish.
 * KEYS[1]  the hash
 * ARGV[1]  expected value of the `version` field
 * ARGV[2]  absolute expiry, unix ms
 * ARGV[3]  channel to publish on
 * ARGV[4]  message to publish
 * ARGV[5…] field, value, field, value, …
 * Returns 1 when written and published, 0 (nothing changed) when the version
 * differs or the key does not exist.
 */
export const CAS_HASH = `
if redis.call('HGET', KEYS[1], 'version') ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], unpack(ARGV, 5))
redis.call('PEXPIREAT', KEYS[1], ARGV[2])
redis.call('PUBLISH', ARGV[3], ARGV[4])
return 1
`;

/**
 * qrlSetField: set one hash field and renew the hash's lifetime, optionally only when the field exists.
 * KEYS[1]  the hash
 * ARGV[1]  field
 * ARGV[2]  value
 * ARGV[3]  lifetime, ms (PEXPIRE)
 * ARGV[4]  "1": only when the field exists already
 * Returns 1 when written, 0 when the field was absent and ARGV[4] is "1".
 */
export const SET_FIELD = `
if ARGV[4] == '1' and redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1
`;

/**
 * qrlPushCapped: push onto the head of a list, trim it, renew its lifetime.
 * KEYS[1]  the list
 * ARGV[1]  value
 * ARGV[2]  how many entries to keep (newest)
 * ARGV[3]  lifetime, ms (PEXPIRE)
 * Returns the list's length after trimming.
 */
export const PUSH_CAPPED = `
redis.call('LPUSH', KEYS[1], ARGV[1])
redis.call('LTRIM', KEYS[1], 0, tonumber(ARGV[2]) - 1)
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return redis.call('LLEN', KEYS[1])
`;

declare module "ioredis" {
  interface RedisCommander<Context> {
    qrlCreate(key: string, expireAtMs: number, ...fieldValues: string[]): Result<number, Context>;
    qrlCas(
      key: string,
      expectedVersion: number,
      expireAtMs: number,
      channel: string,
      message: string,
      ...fieldValues: string[]
    ): Result<number, Context>;
    qrlSetField(
      key: string,
      field: string,
      value: string,
      ttlMs: number,
      onlyIfPresent: "0" | "1",
    ): Result<number, Context>;
    qrlPushCapped(
      key: string,
      value: string,
      maxLength: number,
      ttlMs: number,
    ): Result<number, Context>;
  }
}

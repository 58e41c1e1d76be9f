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

/**
 * qrlSetFieldCapped: set one hash field and keep only the hash's newest
 * `max` fields (the oldest dropped), with their order in a sorted set beside
 * it (same hash tag, so the same Cluster slot). Fields gone from the hash
 * (taken) leave the order too, and fields the order does not know are dropped.
 * KEYS[1]  the hash
 * KEYS[2]  its order (sorted set: field → insertion number)
 * ARGV[1]  field
 * ARGV[2]  value
 * ARGV[3]  lifetime of both keys, ms (PEXPIRE)
 * ARGV[4]  how many fields to keep
 * Returns the hash's field count afterwards.
 */
export const SET_FIELD_CAPPED = `
local last = redis.call('ZRANGE', KEYS[2], -1, -1, 'WITHSCORES')
local seq = (tonumber(last[2]) or 0) + 1
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('ZADD', KEYS[2], seq, ARGV[1])
for _, f in ipairs(redis.call('ZRANGE', KEYS[2], 0, -1)) do
  if redis.call('HEXISTS', KEYS[1], f) == 0 then redis.call('ZREM', KEYS[2], f) end
end
if redis.call('HLEN', KEYS[1]) > redis.call('ZCARD', KEYS[2]) then
  for _, f in ipairs(redis.call('HKEYS', KEYS[1])) do
    if not redis.call('ZSCORE', KEYS[2], f) then redis.call('HDEL', KEYS[1], f) end
  end
end
local extra = redis.call('ZCARD', KEYS[2]) - tonumber(ARGV[4])
if extra > 0 then
  local old = redis.call('ZRANGE', KEYS[2], 0, extra - 1)
  redis.call('HDEL', KEYS[1], unpack(old))
  redis.call('ZREM', KEYS[2], unpack(old))
end
redis.call('PEXPIRE', KEYS[1], ARGV[3])
redis.call('PEXPIRE', KEYS[2], ARGV[3])
return redis.call('HLEN', KEYS[1])
`;

/**
 * qrlAddFieldIfKeysMatch: add a new field to a hash only when the field is
 * absent and the hash's other fields are exactly the expected set (a
 * compare-and-set on the set of field names). Names starting with "$" are
 * settings, not members, and do not count. The set is compared by its digest:
 * SHA-1 of the names, sorted bytewise, joined by "\n" (fieldsDigest in kv.ts).
 * KEYS[1]  the hash
 * ARGV[1]  field
 * ARGV[2]  value
 * ARGV[3]  expected digest of the other fields' names
 * ARGV[4]  lifetime, ms (PEXPIRE)
 * Returns 1 when written, -1 when the field exists, 0 when the set differs.
 */
export const ADD_FIELD_IF_KEYS_MATCH = `
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 then return -1 end
local function before(a, b)
  for i = 1, math.min(#a, #b) do
    local x, y = string.byte(a, i), string.byte(b, i)
    if x ~= y then return x < y end
  end
  return #a < #b
end
local names = {}
for _, f in ipairs(redis.call('HKEYS', KEYS[1])) do
  if string.sub(f, 1, 1) ~= '$' then table.insert(names, f) end
end
table.sort(names, before)
if redis.sha1hex(table.concat(names, '\\n')) ~= ARGV[3] then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return 1
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
    qrlSetFieldCapped(
      key: string,
      orderKey: string,
      field: string,
      value: string,
      ttlMs: number,
      max: number,
    ): Result<number, Context>;
    qrlAddFieldIfKeysMatch(
      key: string,
      field: string,
      value: string,
      digest: string,
      ttlMs: number,
    ): Result<number, Context>;
    qrlPushCapped(
      key: string,
      value: string,
      maxLength: number,
      ttlMs: number,
    ): Result<number, Context>;
  }
}

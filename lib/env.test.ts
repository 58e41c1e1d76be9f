import { describe, expect, it } from "vitest";
import { databaseEnv, parseEnv } from "./env";

describe("env", () => {
  it("defaults to the memory store without REDIS_URL outside production", () => {
    const e = parseEnv({ NODE_ENV: "development" });
    expect(e.store).toBe("memory");
    expect(e.ttl.pendingMs).toBe(120_000);
    expect(e.SESSION_MAX_AGE_S).toBe(28_800);
    // A client that has not sent its headers is dropped after 20 s (tests/api/edges.test.ts runs it shortened).
    expect(e.QRL_HEADERS_TIMEOUT_MS).toBe(20_000);
  });

  it("opens sign-up outside production, closes it in production unless SIGNUP=open", () => {
    expect(parseEnv({ NODE_ENV: "development" }).signupOpen).toBe(true);
    const prod = { NODE_ENV: "production", QRL_STORE: "memory", NEXTAUTH_SECRET: "x".repeat(32) };
    expect(parseEnv(prod).signupOpen).toBe(false);
    expect(parseEnv({ ...prod, SIGNUP: "open" }).signupOpen).toBe(true);
    expect(parseEnv({ NODE_ENV: "development", SIGNUP: "closed" }).signupOpen).toBe(false);
    expect(() => parseEnv({ SIGNUP: "yes" })).toThrow(
      "Invalid environment variable SIGNUP: expected open or closed",
    );
  });

  it("uses Redis when REDIS_URL is set", () => {
    expect(parseEnv({ REDIS_URL: "redis://127.0.0.1:6379" }).store).toBe("redis");
  });

  it("refuses the memory store in production unless QRL_STORE=memory", () => {
    const base = { NODE_ENV: "production", NEXTAUTH_SECRET: "x".repeat(32) } as const;
    expect(() => parseEnv(base)).toThrow(/REDIS_URL/);
    expect(parseEnv({ ...base, QRL_STORE: "memory" }).store).toBe("memory");
  });

  it("requires NEXTAUTH_SECRET in production", () => {
    expect(() => parseEnv({ NODE_ENV: "production", REDIS_URL: "redis://h:1" })).toThrow(
      /NEXTAUTH_SECRET/,
    );
  });

  it("names the malformed variable in one line", () => {
    expect(() => parseEnv({ QRL_PENDING_TTL_S: "soon" })).toThrow(
      /^Invalid environment variable QRL_PENDING_TTL_S: /,
    );
    expect(() => parseEnv({ REDIS_URL: "not a url" })).toThrow(/REDIS_URL/);
    expect(() => parseEnv({ QRL_PENDING_TTL_S: "121" })).toThrow(/QRL_PENDING_TTL_S: at most 120/);
  });

  it("uses Redis through Sentinel with REDIS_SENTINELS and a primary name", () => {
    const db = { DATABASE_URL: "postgres://qrl@db:5432/qrl" };
    const e = parseEnv({
      REDIS_SENTINELS: "10.0.0.1:26379,sentinel-b:26380",
      REDIS_SENTINEL_NAME: "mymaster",
      ...db,
    });
    expect(e.store).toBe("redis");
    expect(e.sentinels).toEqual([
      { host: "10.0.0.1", port: 26379 },
      { host: "sentinel-b", port: 26380 },
    ]);
    expect(() => parseEnv({ REDIS_SENTINELS: "10.0.0.1:26379", ...db })).toThrow(
      /^Invalid environment variable REDIS_SENTINEL_NAME: /,
    );
    expect(() =>
      parseEnv({ REDIS_SENTINELS: "10.0.0.1", REDIS_SENTINEL_NAME: "m", ...db }),
    ).toThrow(/^Invalid environment variable REDIS_SENTINELS: expected host:port/);
    expect(() =>
      parseEnv({ REDIS_SENTINELS: "h:1", REDIS_SENTINEL_NAME: "my master", ...db }),
    ).toThrow(/^Invalid environment variable REDIS_SENTINEL_NAME: /);
  });

  it("uses the embedded database in QRL_DATA_DIR without DATABASE_URL, PostgreSQL with it", () => {
    expect(parseEnv({}).database).toEqual({ kind: "pglite", dataDir: ".data", timeoutMs: 1500 });
    expect(parseEnv({ QRL_DATA_DIR: "/var/lib/qrl" }).database).toMatchObject({
      dataDir: "/var/lib/qrl",
    });
    expect(parseEnv({ DATABASE_URL: "postgres://u:p@db:5432/qrl" }).database).toEqual({
      kind: "postgres",
      url: "postgres://u:p@db:5432/qrl",
      poolMax: 10,
      timeoutMs: 1500,
    });
    expect(() => parseEnv({ DATABASE_URL: "mysql://db/qrl" })).toThrow(
      /^Invalid environment variable DATABASE_URL: expected postgres:/,
    );
  });

  it("refuses several instances (Cluster or Sentinel) on the embedded database, in one line", () => {
    const cluster = { REDIS_CLUSTER_NODES: "10.0.0.1:7000,10.0.0.2:7000" };
    expect(() => parseEnv(cluster)).toThrow(
      /^Invalid environment variable DATABASE_URL: required with Redis Cluster or Sentinel/,
    );
    expect(() => parseEnv({ REDIS_SENTINELS: "h:1", REDIS_SENTINEL_NAME: "m" })).toThrow(
      /DATABASE_URL: required with Redis Cluster or Sentinel/,
    );
    expect(parseEnv({ ...cluster, DATABASE_URL: "postgres://db/qrl" }).database.kind).toBe(
      "postgres",
    );
  });

  it("gives the operators' commands the database settings alone (no Redis or secret needed)", () => {
    expect(databaseEnv({ NODE_ENV: "production", QRL_DATA_DIR: "/srv/qrl" })).toEqual({
      kind: "pglite",
      dataDir: "/srv/qrl",
      timeoutMs: 1500,
    });
    expect(() => databaseEnv({ DATABASE_POOL_MAX: "0" })).toThrow(
      /^Invalid environment variable DATABASE_POOL_MAX: /,
    );
  });

  it("accepts fractional lifetimes for tests", () => {
    expect(parseEnv({ QRL_PENDING_TTL_S: "1.5" }).ttl.pendingMs).toBe(1500);
  });

  it("uses secure cookies when the public URL is https", () => {
    expect(parseEnv({ PUBLIC_URL: "https://login.example.com" }).secureCookies).toBe(true);
    expect(parseEnv({ PUBLIC_URL: "http://192.168.1.2:3000" }).secureCookies).toBe(false);
  });
});

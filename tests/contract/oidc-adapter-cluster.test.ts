import type { AdapterPayload } from "oidc-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { StoreAdapter } from "@/lib/oidc/adapter";
import { createRedisCluster } from "@/lib/redis";
import { registry } from "@/lib/registry";
import { RedisKv } from "@/lib/store/redis-kv";
import { type RedisCluster, startRedisCluster } from "../support/redis-cluster";

/**
 * oidc-provider's short-lived records (lib/oidc/adapter.ts, StoreAdapter) on
 * a real Redis Cluster: every model the provider keeps in the store is
 * stored, found (by id, uid, user code), consumed once, destroyed, and
 * revoked by grant, with records, indexes and grant lists spread over the
 * cluster's slots (each key names its own slot: no command spans two).
 */
let cluster: RedisCluster;
let client: ReturnType<typeof createRedisCluster>;
beforeAll(async () => {
  cluster = await startRedisCluster();
  client = createRedisCluster(cluster.nodes, 2000);
  await new Promise((resolve) => client.once("ready", resolve));
  registry().store = new RedisKv(client, 2000);
});
afterAll(async () => {
  registry().store = undefined;
  await client?.quit();
  await cluster?.stop();
});

const MODELS = [
  "Session",
  "Interaction",
  "AuthorizationCode",
  "DeviceCode",
  "AccessToken",
  "ClientCredentials",
  "ReplayDetection",
  "PushedAuthorizationRequest",
] as const;

const id = (model: string, n = 0) => `${model}-${n}-${Math.random().toString(36).slice(2)}`;

describe("the OpenID Provider's store adapter on Redis Cluster (3 primaries)", () => {
  it.each(MODELS)("%s: upsert, find, consume once, destroy", async (model) => {
    const adapter = new StoreAdapter(model);
    const key = id(model);
    const payload: AdapterPayload = { jti: key, kind: model, accountId: "acc-1", exp: 1 };
    await adapter.upsert(key, payload, 60);
    expect(await adapter.find(key)).toEqual(payload);
    expect(await adapter.find(`${key}-other`)).toBeUndefined();

    // Two redemptions at once: both see it consumed afterwards, with one timestamp.
    await Promise.all([adapter.consume(key), adapter.consume(key)]);
    const consumed = await adapter.find(key);
    expect(consumed?.consumed).toEqual(expect.any(Number));
    await adapter.consume(key);
    expect((await adapter.find(key))?.consumed).toBe(consumed?.consumed);

    await adapter.destroy(key);
    expect(await adapter.find(key)).toBeUndefined();
    // Consuming what is gone does nothing (no record is made up).
    await adapter.consume(key);
    expect(await adapter.find(key)).toBeUndefined();
  });

  it("finds a session by its uid and a device code by its user code, only while they live", async () => {
    const sessions = new StoreAdapter("Session");
    const sid = id("Session");
    await sessions.upsert(sid, { jti: sid, uid: `uid-${sid}`, accountId: "acc-1" }, 60);
    expect((await sessions.findByUid(`uid-${sid}`))?.jti).toBe(sid);
    expect(await sessions.findByUid("uid-nobody")).toBeUndefined();

    const codes = new StoreAdapter("DeviceCode");
    const code = id("DeviceCode");
    await codes.upsert(code, { jti: code, userCode: "BCDFGHJK", grantId: undefined }, 1);
    expect((await codes.findByUserCode("BCDFGHJK"))?.jti).toBe(code);
    await expect.poll(() => codes.findByUserCode("BCDFGHJK"), { timeout: 5000 }).toBeUndefined();
    expect(await codes.find(code)).toBeUndefined();
  });

  it("revokes every record issued under a grant, whatever its model and slot, and nothing else", async () => {
    const grantId = id("grant");
    const issued = [
      ["AuthorizationCode", id("AuthorizationCode", 1)],
      ["AccessToken", id("AccessToken", 2)],
      ["AccessToken", id("AccessToken", 3)],
      ["DeviceCode", id("DeviceCode", 4)],
    ] as const;
    for (const [model, key] of issued) {
      await new StoreAdapter(model).upsert(
        key,
        { jti: key, grantId },
        model === "DeviceCode" ? 30 : 120,
      );
    }
    const bystander = id("AccessToken", 5);
    await new StoreAdapter("AccessToken").upsert(
      bystander,
      { jti: bystander, grantId: "other" },
      60,
    );
    // The grant's list of keys spans several slots; each record is in its own.
    const slots = new Set(
      await Promise.all(
        issued.map(async ([model, key]) =>
          client.cluster("KEYSLOT", `qrl:oidc:{${model}:${encodeURIComponent(key)}}`),
        ),
      ),
    );
    expect(slots.size).toBeGreaterThan(1);

    await new StoreAdapter("AccessToken").revokeByGrantId(grantId);
    for (const [model, key] of issued)
      expect(await new StoreAdapter(model).find(key)).toBeUndefined();
    expect((await new StoreAdapter("AccessToken").find(bystander))?.jti).toBe(bystander);
  });
});

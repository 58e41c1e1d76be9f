import { execFileSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AppServer, startApp, TEST_USERS } from "../support/app-server";
import { SoftAuthenticator } from "../support/authenticator";
import { HttpClient, signInNative } from "../support/http-client";
import { type RedisServer, startRedis } from "../support/redis-server";

/**
 * The rule: losing Redis may sign people out or end logins in flight; it
 * never loses an account, a passkey or a setting, and never weakens a check.
 * Redis here is this suite's own, emptied with FLUSHALL mid-way.
 */
describe("FLUSHALL on Redis keeps accounts, passkeys and the passkey setting", () => {
  let redis: RedisServer;
  let app: AppServer;

  beforeAll(async () => {
    redis = await startRedis();
    app = await startApp({
      REDIS_URL: redis.url,
      QRL_DEMO_USERS: `${TEST_USERS},pat:passkey-pat:Passkey Pat`,
    });
  });
  afterAll(async () => {
    await app?.stop();
    await redis?.stop();
  });

  const flushAll = () =>
    execFileSync("redis-cli", ["-p", String(redis.port), "FLUSHALL"])
      .toString()
      .trim();

  async function scannedTicket(phone: HttpClient) {
    const desktop = new HttpClient(app.url);
    const created = (await (await desktop.fetch("/api/qr", { method: "POST" })).json()) as {
      ticketId: string;
      scanUrl: string;
    };
    const { ticketId } = created;
    // The QR's own URL carries its token (`?t=`): scan with it, as a camera would.
    const token = new URL(created.scanUrl).searchParams.get("t") ?? "";
    const scan = await phone.fetch(`/api/qr/${ticketId}/scan?t=${encodeURIComponent(token)}`, {
      method: "POST",
    });
    expect(scan.status).toBe(200);
    return ticketId;
  }

  it("a passkey-required account still requires its passkey, which still approves", async () => {
    const before = (await signInNative(app.url, "pat", "passkey-pat")).client;
    const key = new SoftAuthenticator({ id: "127.0.0.1", origin: app.url });
    // The first passkey needs the password again (a stolen session alone cannot add one).
    const reauth = (client: typeof before, password: string) =>
      client.fetch("/api/passkeys/reauth", { method: "POST", json: { password } });
    expect((await reauth(before, "passkey-pat")).status).toBe(200);
    const options = await (
      await before.fetch("/api/passkeys/registration/begin", { method: "POST", json: {} })
    ).json();
    const finish = await before.fetch("/api/passkeys/registration/finish", {
      method: "POST",
      json: { response: key.create(options), name: "Pat's phone" },
    });
    expect(finish.status).toBe(201);
    // Pat also turns "require a passkey to approve" on (recent password, a passkey exists).
    const setting = await before.fetch("/api/passkeys/setting", {
      method: "PUT",
      json: { requireForApproval: true },
    });
    expect(setting.status).toBe(200);

    expect(flushAll()).toBe("OK");

    // Sessions were in Redis: signed out. Accounts were not: the passwords still sign in.
    expect((await before.fetch("/api/passkeys")).status).toBe(401);
    const pat = (await signInNative(app.url, "pat", "passkey-pat")).client;
    expect(await (await pat.fetch("/api/passkeys")).json()).toMatchObject({
      required: true,
      requireForApproval: true,
      passkeys: [{ id: key.id, name: "Pat's phone" }],
    });
    const ticketId = await scannedTicket(pat);
    const plain = await pat.fetch(`/api/qr/${ticketId}/confirm`, { method: "POST" });
    expect(plain.status).toBe(403);
    expect(((await plain.json()) as { error: { code: string } }).error.code).toBe(
      "passkey_required",
    );
    const begun = await pat.fetch(`/api/qr/${ticketId}/passkey/begin`, { method: "POST" });
    const approved = await pat.fetch(`/api/qr/${ticketId}/passkey/finish`, {
      method: "POST",
      json: { response: key.get(await begun.json()) },
    });
    expect(approved.status).toBe(200);
  });
});

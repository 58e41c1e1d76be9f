import { randomBytes } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { TEST_USERS } from "../support/app-server";
import { SoftAuthenticator } from "../support/authenticator";
import { freshDatabase, sql } from "../support/databases";
import { type HttpClient, signInNative } from "../support/http-client";
import { useStack } from "../support/stack";
import { startReceiver } from "../support/webhook-receiver";

const SECRET = `whsec_${randomBytes(32).toString("base64")}`;
const CODE = /^[2-9A-HJ-NP-Z]{5}-[2-9A-HJ-NP-Z]{5}$/;
const USERS = ["rita", "sam", "tess", "uma", "vera", "walt"];

/**
 * Lost passkey (README "Lost passkey"): ten one-time recovery codes, stored
 * hashed; the password and one code lift the passkey requirement, sign the
 * other sessions out, and tell the phones and the webhook.
 */
describe("recovery codes", () => {
  let database: string;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  afterAll(async () => receiver?.close()); // after the stack's own tear-down (hooks unwind)
  // The webhook receiver's URL and the database are settings: both come before the app.
  const stack = useStack({
    store: "memory",
    env: async () => {
      database = await freshDatabase("recovery");
      receiver = await startReceiver();
      return {
        DATABASE_URL: database,
        QRL_RATE_RECOVERY_FAILS: "3",
        WEBHOOK_URL: receiver.url,
        WEBHOOK_SECRET: SECRET,
        WEBHOOK_RETRY_BASE_MS: "100",
        QRL_DEMO_USERS: [TEST_USERS, ...USERS.map((u) => `${u}:${u}-pass:${u}`)].join(","),
      };
    },
  });

  /** Signs in, adds a passkey (the first: its answer carries the codes) and requires passkeys. */
  async function protectedAccount(user: string) {
    const { client } = await signInNative(stack.url, user, `${user}-pass`);
    const key = new SoftAuthenticator({ id: "127.0.0.1", origin: stack.url });
    const reauth = await client.fetch("/api/passkeys/reauth", {
      method: "POST",
      json: { password: `${user}-pass` },
    });
    expect(reauth.status).toBe(200);
    const options = await (
      await client.fetch("/api/passkeys/registration/begin", { method: "POST", json: {} })
    ).json();
    const finish = await client.fetch("/api/passkeys/registration/finish", {
      method: "POST",
      json: { response: key.create(options), name: "Lost phone" },
    });
    expect(finish.status).toBe(201);
    const { recoveryCodes } = (await finish.json()) as { recoveryCodes: string[] };
    const setting = await client.fetch("/api/passkeys/setting", {
      method: "PUT",
      json: { requireForApproval: true },
    });
    expect(setting.status).toBe(200);
    // Shown once: turning the requirement on afterwards makes no new ones.
    expect(await setting.json()).toEqual({ requireForApproval: true, required: true });
    return { client, codes: recoveryCodes };
  }

  const recover = (body: Record<string, unknown>, headers: Record<string, string> = {}) =>
    fetch(`${stack.url}/api/recovery`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify(body),
    });

  const errorCode = async (res: Response) =>
    ((await res.json()) as { error: { code: string } }).error.code;

  async function passkeyStatus(client: HttpClient) {
    return (await (await client.fetch("/api/passkeys")).json()) as {
      required: boolean;
      requireForApproval: boolean;
      passkeys: unknown[];
    };
  }

  it("ten readable codes, shown once, stored only as keyed hashes", async () => {
    const { client, codes } = await protectedAccount("rita");
    expect(codes).toHaveLength(10);
    for (const c of codes) expect(c).toMatch(CODE);
    expect(new Set(codes).size).toBe(10);
    expect(await (await client.fetch("/api/passkeys/recovery-codes")).json()).toEqual({
      remaining: 10,
    });
    const rows = await sql<{ code_hash: string; used_at: Date | null }>(
      `SELECT r.code_hash, r.used_at FROM recovery_codes r JOIN accounts a ON a.id = r.account_id WHERE a.username = 'rita'`,
      database,
    );
    expect(rows).toHaveLength(10);
    const stored = JSON.stringify(rows);
    for (const c of codes) {
      expect(stored).not.toContain(c);
      expect(stored).not.toContain(c.replace("-", ""));
    }
    for (const r of rows) {
      expect(r.code_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(r.used_at).toBeNull();
    }
  });

  it("one code used twice at once: exactly one recovery; the requirement lifted, other sessions out, phones and webhook told", async () => {
    const { client, codes } = await protectedAccount("sam");
    const code = codes[3] as string;
    const answers = await Promise.all(
      [0, 1].map(() => recover({ username: "sam", password: "sam-pass", code })),
    );
    expect(answers.map((r) => r.status).sort()).toEqual([200, 401]);
    const won = answers.find((r) => r.status === 200) as Response;
    expect(await won.json()).toEqual({ passkeysRemoved: 1, codesLeft: 9, signedOut: 1 });

    // The phone that had the passkey was signed out; a new sign-in approves without a passkey.
    expect((await client.fetch("/api/passkeys")).status).toBe(401);
    const again = (await signInNative(stack.url, "sam", "sam-pass")).client;
    expect(await passkeyStatus(again)).toEqual({
      required: false,
      requireForApproval: false,
      passkeys: [],
    });
    expect(await (await again.fetch("/api/passkeys/recovery-codes")).json()).toEqual({
      remaining: 9,
    });
    // Its phones are told (a notice), and the webhook.
    const notices = (await (await again.fetch("/api/notices")).json()) as {
      passkeyChanges: { kind: string }[];
    };
    expect(notices.passkeyChanges.map((c) => c.kind)).toContain("recovered");
    const hook = await receiver.waitFor((r) => r.body.includes('"account.recovered"'));
    expect(JSON.parse(hook.body)).toMatchObject({
      type: "account.recovered",
      data: { passkeysRemoved: 1, sessionsSignedOut: 1, codesLeft: 9 },
    });
    // The code is used up.
    const reused = await recover({ username: "sam", password: "sam-pass", code });
    expect(reused.status).toBe(401);
  });

  it("a wrong code, or a right code with a wrong or missing password, changes nothing", async () => {
    const { client, codes } = await protectedAccount("tess");
    const code = codes[0] as string;
    const wrongCode = await recover({
      username: "tess",
      password: "tess-pass",
      code: "ABCDE-FGHJK",
    });
    expect(wrongCode.status).toBe(401);
    expect(await errorCode(wrongCode)).toBe("invalid_credentials");
    const wrongPassword = await recover({ username: "tess", password: "nope", code });
    expect(wrongPassword.status).toBe(401);
    const noPassword = await recover({ username: "tess", code });
    expect(noPassword.status).toBe(400);
    // Still required, still signed in, and the code unused (lower case and spaces forgiven).
    expect((await passkeyStatus(client)).required).toBe(true);
    expect(await (await client.fetch("/api/passkeys/recovery-codes")).json()).toEqual({
      remaining: 10,
    });
    const typed = ` ${code.toLowerCase().replace("-", " ")} `;
    // A failure was counted: this success is the third try of three, and resets the count.
    const ok = await recover({ username: "TESS", password: "tess-pass", code: typed });
    expect(ok.status).toBe(200);
  });

  it("recovery attempts are limited per username and IP, right ones included past the limit", async () => {
    const { codes } = await protectedAccount("uma");
    for (let i = 0; i < 3; i++) {
      const res = await recover({ username: "uma", password: "uma-pass", code: "22222-22222" });
      expect(res.status).toBe(401);
    }
    const limited = await recover({ username: "uma", password: "uma-pass", code: codes[0] });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await errorCode(limited)).toBe("rate_limited");
  });

  it("renewing needs the password again and voids every old code", async () => {
    const { client, codes } = await protectedAccount("vera");
    const renew = () => client.fetch("/api/passkeys/recovery-codes", { method: "POST" });
    // The password entered for the first passkey still counts (5 minutes): a fresh session has none.
    const fresh = (await signInNative(stack.url, "vera", "vera-pass")).client;
    const refused = await fresh.fetch("/api/passkeys/recovery-codes", { method: "POST" });
    expect(refused.status).toBe(403);
    expect(await errorCode(refused)).toBe("reauth_required");
    const renewed = await renew();
    expect(renewed.status).toBe(201);
    const { codes: fresh10 } = (await renewed.json()) as { codes: string[] };
    expect(fresh10).toHaveLength(10);
    expect(fresh10.some((c) => codes.includes(c))).toBe(false);
    const old = await recover({ username: "vera", password: "vera-pass", code: codes[0] });
    expect(old.status).toBe(401);
    expect((await passkeyStatus(client)).required).toBe(true);
  });

  it("a disabled account is told so in words and its code stays unused", async () => {
    const { client, codes } = await protectedAccount("walt");
    await sql(`UPDATE accounts SET disabled = true WHERE username = 'walt'`, database);
    const refused = await recover({ username: "walt", password: "walt-pass", code: codes[0] });
    expect(refused.status).toBe(403);
    expect(await errorCode(refused)).toBe("account_disabled");
    await sql(`UPDATE accounts SET disabled = false WHERE username = 'walt'`, database);
    expect(await (await client.fetch("/api/passkeys/recovery-codes")).json()).toEqual({
      remaining: 10,
    });
    expect((await passkeyStatus(client)).required).toBe(true);
  });

  it("refuses a cross-site browser POST and malformed bodies in the error shape", async () => {
    const cross = await recover(
      { username: "rita", password: "rita-pass", code: "22222-22222" },
      { "sec-fetch-site": "cross-site" },
    );
    expect(cross.status).toBe(403);
    for (const body of [{}, { username: "rita", password: "x", code: 5 }, []]) {
      const res = await recover(body as Record<string, unknown>);
      expect(res.status).toBe(400);
      expect(await errorCode(res)).toBe("invalid_request");
    }
  });
});

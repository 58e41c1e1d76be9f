import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { TEST_USERS } from "../support/app-server";
import { SoftAuthenticator } from "../support/authenticator";
import { HttpClient, signInNative } from "../support/http-client";
import { useStack } from "../support/stack";

const DESKTOP_UA =
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15";

/**
 * The rule: losing Redis may sign people out or end logins in flight; it
 * never loses an account, a passkey or a setting, and never weakens a check.
 * Redis here is this suite's own, emptied with FLUSHALL mid-way.
 */
describe("FLUSHALL on Redis keeps accounts, passkeys, the passkey setting, known browsers and the history", () => {
  const stack = useStack({ env: { QRL_DEMO_USERS: `${TEST_USERS},pat:passkey-pat:Passkey Pat` } });

  const flushAll = () =>
    execFileSync("redis-cli", ["-p", String(stack.redis.port), "FLUSHALL"])
      .toString()
      .trim();

  async function scannedTicket(phone: HttpClient, desktop = new HttpClient(stack.url)) {
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
    const before = (await signInNative(stack.url, "pat", "passkey-pat")).client;
    const key = new SoftAuthenticator({ id: "127.0.0.1", origin: stack.url });
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
    const pat = (await signInNative(stack.url, "pat", "passkey-pat")).client;
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

  it("a known browser stays known and the history keeps its entries", async () => {
    const desktop = new HttpClient(stack.url, { "user-agent": DESKTOP_UA });
    /** A QR login of this desktop approved by `phone`: whether the desktop had to ask "Continue as …?". */
    async function login(phone: HttpClient) {
      const ticketId = await scannedTicket(phone, desktop);
      expect((await phone.fetch(`/api/qr/${ticketId}/confirm`, { method: "POST" })).status).toBe(
        200,
      );
      const status = (await (await desktop.fetch(`/api/qr/${ticketId}`)).json()) as {
        continueRequired?: boolean;
      };
      expect((await desktop.claim(ticketId)).status).toBe(200);
      expect(desktop.hasSessionCookie()).toBe(true);
      return status.continueRequired === true;
    }
    const carol = (await signInNative(stack.url, "carol", "carol-pass")).client;
    // New to this browser: the computer asks first; then it is known.
    expect(await login(carol)).toBe(true);
    expect(await login(carol)).toBe(false);

    expect(flushAll()).toBe("OK");

    const again = (await signInNative(stack.url, "carol", "carol-pass")).client;
    expect(await login(again)).toBe(false);
    // The history (/m/activity, a phone browser) still has the sign-ins from before FLUSHALL.
    const browser = new HttpClient(stack.url);
    await browser.nextAuthCallback("credentials", { username: "carol", password: "carol-pass" });
    const page = await browser.fetch("/m/activity");
    expect(page.status).toBe(200);
    const entries = (await page.text()).match(/<h2[^>]*>Signed in on a computer<\/h2>/g);
    expect(entries?.length).toBe(3);
  });
});

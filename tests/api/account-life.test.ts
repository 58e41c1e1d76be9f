import { randomBytes } from "node:crypto";
import Redis from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type OwnAppServer, startApp } from "../support/app-server";
import { SoftAuthenticator } from "../support/authenticator";
import { freshDatabase, sql } from "../support/databases";
import { HttpClient, scanPathOf, signInNative } from "../support/http-client";
import { type RedisServer, startRedis } from "../support/redis-server";
import { startReceiver } from "../support/webhook-receiver";

const SECRET = `whsec_${randomBytes(32).toString("base64")}`;

type ErrorBody = { error: { code: string; message: string } };
type Token = { token: string; user: { id: string; username: string; displayName: string } };

/** A client address of its own for each test (the app trusts one proxy): the sign-up limit counts per address. */
let nextIp = 1;
const ownIp = () => ({ "x-forwarded-for": `10.23.0.${nextIp++}` });

/** POST /api/accounts as a native app would. */
function signUpApi(app: OwnAppServer, body: unknown, headers: Record<string, string> = {}) {
  return fetch(`${app.url}/api/accounts`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

/** Signs up through the API and returns a client that sends the new account's bearer token. */
async function signedUp(
  app: OwnAppServer,
  username: string,
  password: string,
  ip: Record<string, string> = ownIp(),
) {
  const res = await signUpApi(app, { username, password }, ip);
  expect(res.status).toBe(201);
  const body = (await res.json()) as Token;
  return {
    ...body,
    client: new HttpClient(app.url, { ...ip, authorization: `Bearer ${body.token}` }),
  };
}

/** The hidden CSRF token a server-rendered form carries. */
async function formToken(client: HttpClient, path: string): Promise<string> {
  const html = await (await client.fetch(path)).text();
  const token = /name="csrfToken" value="([^"]+)"/.exec(html)?.[1];
  if (!token) throw new Error(`no CSRF token in ${path}`);
  return token;
}

/** Posts a sign-up form as a browser without JavaScript does. */
function postForm(client: HttpClient, fields: Record<string, string>) {
  return client.fetch("/signup/create", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields).toString(),
  });
}

/**
 * An account's whole life (issue 23 item 5), against the production build:
 * two instances on one Redis and one PostgreSQL database, sign-up open;
 * a third on its own with production's default (sign-up closed).
 */
describe("an account's life: sign-up, password, name, deletion", () => {
  let redis: RedisServer;
  let a: OwnAppServer;
  let b: OwnAppServer;
  let closed: OwnAppServer;
  let databaseUrl: string;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let client: Redis;

  beforeAll(async () => {
    redis = await startRedis();
    receiver = await startReceiver();
    databaseUrl = await freshDatabase("account_life");
    const shared = {
      REDIS_URL: redis.url,
      DATABASE_URL: databaseUrl,
      SIGNUP: "open",
      TRUST_PROXY: "1",
      QRL_RATE_SIGNUP_PER_IP_HOUR: "12",
      WEBHOOK_URL: receiver.url,
      WEBHOOK_SECRET: SECRET,
    };
    a = await startApp(shared);
    b = await startApp(shared);
    closed = await startApp({ QRL_STORE: "memory" });
    client = new Redis(redis.url);
  }, 180_000);
  afterAll(async () => {
    client?.disconnect();
    await Promise.all([a?.stop(), b?.stop(), closed?.stop()]);
    await receiver?.close();
    await redis?.stop();
  });

  it("signs up a native app (201 with a token, signed in), on either instance", async () => {
    const ip = ownIp();
    const res = await signUpApi(
      a,
      { username: " Dana ", displayName: "Dana D", password: "dana-pass-1" },
      ip,
    );
    expect(res.status).toBe(201);
    const body = (await res.json()) as Token & { expiresAt: string };
    expect(body).toMatchObject({ user: { username: "dana", displayName: "Dana D" } });
    expect(body.token).toMatch(/^qrlm_/);
    const phone = new HttpClient(b.url, { authorization: `Bearer ${body.token}` });
    expect(await (await phone.fetch("/api/account")).json()).toMatchObject({
      id: body.user.id,
      username: "dana",
      displayName: "Dana D",
    });
    expect((await signInNative(b.url, "DANA", "dana-pass-1")).token).toBeTruthy();
    // The name is someone's now, in any spelling: said in words.
    const again = await signUpApi(b, { username: "ＤＡＮＡ", password: "other-pass-1" }, ip);
    expect(again.status).toBe(409);
    expect(((await again.json()) as ErrorBody).error).toEqual({
      code: "username_taken",
      message: "That username is taken — choose another.",
    });
  });

  it("answers malformed sign-ups with 400 in the error shape, and makes no account", async () => {
    const ip = ownIp();
    const cases: [unknown, string][] = [
      [{}, "invalid_request"],
      [{ username: "eli", password: "short" }, "invalid_request"],
      [{ username: "eli", password: 12345678 }, "invalid_request"],
      [{ username: "e l i", password: "long-enough-1" }, "invalid_request"],
      [
        { username: "eli", password: "long-enough-1", displayName: "x".repeat(101) },
        "invalid_request",
      ],
      ["{not json", "invalid_json"],
    ];
    for (const [body, code] of cases) {
      const res = await signUpApi(a, body, ip);
      expect(res.status).toBe(400);
      expect(((await res.json()) as ErrorBody).error.code).toBe(code);
    }
    const [row] = await sql<{ n: string }>(
      "SELECT count(*) AS n FROM accounts WHERE username IN ('eli', 'e l i')",
      databaseUrl,
    );
    expect(Number(row?.n)).toBe(0);
  });

  it("two sign-ups racing for one name (in spellings that normalise the same): exactly one wins, the rest are told in words", async () => {
    const spellings = ["fern", "FERN", " Fern", "ｆｅｒｎ", "fern\u3000", "Fern", "fErn", "FERN "];
    const answers = await Promise.all(
      spellings.map((username, i) =>
        signUpApi(i % 2 ? b : a, { username, password: `fern-pass-${i}` }, ownIp()).then(
          async (res) => ({ status: res.status, body: (await res.json()) as ErrorBody }),
        ),
      ),
    );
    expect(answers.filter((r) => r.status === 201)).toHaveLength(1);
    const losers = answers.filter((r) => r.status !== 201);
    expect(losers).toHaveLength(spellings.length - 1);
    for (const r of losers) {
      expect(r.status).toBe(409);
      expect(r.body.error.code).toBe("username_taken");
    }
    // All of them looked before any insert was done (a hash takes ~50 ms): told it was just taken.
    expect(losers.map((r) => r.body.error.message)).toContain(
      "That username was just taken — choose another.",
    );
    const rows = await sql("SELECT id FROM accounts WHERE username = 'fern'", databaseUrl);
    expect(rows).toHaveLength(1);
  });

  it("limits sign-ups per client address like sign-ins: 429 with Retry-After", async () => {
    const ip = ownIp();
    // A refused sign-up (a taken name) uses a point too: names cannot be probed for free.
    for (let i = 0; i < 12; i++) {
      expect((await signUpApi(a, { username: "dana", password: "whatever-1" }, ip)).status).toBe(
        409,
      );
    }
    const limited = await signUpApi(b, { username: "gwen", password: "gwen-pass-1" }, ip);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(((await limited.json()) as ErrorBody).error.code).toBe("rate_limited");
    // Another address is not held back.
    expect(
      (await signUpApi(b, { username: "gwen", password: "gwen-pass-1" }, ownIp())).status,
    ).toBe(201);
  });

  it("signs up on the phone's form without JavaScript: the phone is signed in as a phone", async () => {
    const phone = new HttpClient(a.url, ownIp());
    const page = await (await phone.fetch("/m")).text();
    expect(page).toContain('href="/m/signup"');
    const csrfToken = await formToken(phone, "/m/signup");
    const res = await postForm(phone, {
      csrfToken,
      device: "phone",
      callbackUrl: "/m",
      username: "Hana",
      displayName: "Hana H",
      password: "hana-pass-1",
    });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/m");
    expect(phone.hasSessionCookie()).toBe(true);
    expect((await phone.session()).user).toMatchObject({ name: "Hana H" });
    // A phone session: it may list (and approve) sessions.
    expect((await phone.fetch("/api/sessions")).status).toBe(200);

    // The same name again, from another phone: back to the form, in words, with the name kept.
    const other = new HttpClient(a.url, ownIp());
    const taken = await postForm(other, {
      csrfToken: await formToken(other, "/m/signup"),
      device: "phone",
      username: "hana",
      password: "other-pass-1",
    });
    expect(taken.status).toBe(303);
    const back = taken.headers.get("location") ?? "";
    expect(back).toMatch(/^\/m\/signup\?error=taken&/);
    expect(other.hasSessionCookie()).toBe(false);
    const again = await (await other.fetch(back)).text();
    expect(again).toContain("That username is taken — choose another.");
    expect(again).toContain('value="hana"');

    // A form whose CSRF token does not match its cookie (too old, or another site's) makes nothing.
    const stale = await postForm(new HttpClient(a.url, ownIp()), {
      csrfToken: "0".repeat(64),
      device: "phone",
      username: "ines",
      password: "ines-pass-1",
    });
    expect(stale.headers.get("location")).toMatch(/^\/m\/signup\?error=expired&/);
    // Another site's form, even with a matching token, makes nothing.
    const browser = new HttpClient(a.url, { ...ownIp(), "sec-fetch-site": "cross-site" });
    const crossSite = await postForm(browser, {
      csrfToken: await formToken(browser, "/m/signup"),
      device: "phone",
      username: "ines",
      password: "ines-pass-1",
    });
    expect(crossSite.headers.get("location")).toMatch(/^\/m\/signup\?error=expired&/);
    expect(await sql("SELECT id FROM accounts WHERE username = 'ines'", databaseUrl)).toHaveLength(
      0,
    );
  });

  it("caps the sign-up form's body at 8 KiB, even when it is sent chunked", async () => {
    const big = `username=ursa&password=ursa-pass-1&displayName=${"x".repeat(20_000)}`;
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(big));
        controller.close();
      },
    });
    const res = await fetch(`${a.url}/signup/create`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: stream,
      duplex: "half",
    } as RequestInit);
    expect(res.status).toBe(413);
    expect(((await res.json()) as ErrorBody).error.code).toBe("payload_too_large");
    expect(await sql("SELECT id FROM accounts WHERE username = 'ursa'", databaseUrl)).toEqual([]);
  });

  it("signs up on the computer's form (linked from /login's password form): a computer session", async () => {
    const desktop = new HttpClient(a.url, ownIp());
    expect(await (await desktop.fetch("/login?method=password")).text()).toContain(
      'href="/signup"',
    );
    const res = await postForm(desktop, {
      csrfToken: await formToken(desktop, "/signup"),
      device: "computer",
      callbackUrl: "/",
      username: "ivan",
      password: "ivan-pass-1",
    });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/");
    expect((await desktop.session()).user).toMatchObject({ name: "Ivan" });
    // A computer never approves.
    const sessions = await desktop.fetch("/api/sessions");
    expect(sessions.status).toBe(403);
    expect(((await sessions.json()) as ErrorBody).error.code).toBe("not_an_approver");
    // Listed on the account's phone, like any computer signed in by password.
    const phone = (await signInNative(b.url, "ivan", "ivan-pass-1")).client;
    const list = (await (await phone.fetch("/api/sessions")).json()) as {
      sessions: { kind: string }[];
    };
    expect(list.sessions.map((s) => s.kind).sort()).toEqual(["computer", "phone"]);
  });

  it("with sign-up closed (production's default), the pages say so and the API answers 403", async () => {
    const res = await signUpApi(closed, { username: "jack", password: "jack-pass-1" });
    expect(res.status).toBe(403);
    expect(((await res.json()) as ErrorBody).error).toEqual({
      code: "signup_closed",
      message: "Sign-up is closed on this site. Ask the site's administrator for an account.",
    });
    const browser = new HttpClient(closed.url);
    for (const path of ["/m/signup", "/signup"]) {
      const html = await (await browser.fetch(path)).text();
      expect(html).toContain("Sign-up is closed on this site. Ask the site");
      expect(html).not.toContain('action="/signup/create"');
    }
    // No link to it from the sign-in pages.
    expect(await (await browser.fetch("/m")).text()).not.toContain('href="/m/signup"');
    // A form posted anyway (the CSRF token from next-auth) is refused in words, and makes nothing.
    const { csrfToken } = (await (await browser.fetch("/api/auth/csrf")).json()) as {
      csrfToken: string;
    };
    const posted = await postForm(browser, {
      csrfToken,
      device: "phone",
      username: "jack",
      password: "jack-pass-1",
    });
    expect(posted.headers.get("location")).toMatch(/^\/m\/signup\?error=closed&/);
    const jack = await fetch(`${closed.url}/api/mobile/sessions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: "jack", password: "jack-pass-1" }),
    });
    expect(jack.status).toBe(401);
  });

  it("changing the password needs the current one and signs every other session out, on the other instance within 1 s", async () => {
    const me = await signedUp(a, "kate", "kate-pass-1");
    const onB = (await signInNative(b.url, "kate", "kate-pass-1")).client;
    const browser = new HttpClient(a.url);
    await browser.nextAuthCallback("credentials", { username: "kate", password: "kate-pass-1" });
    expect((await browser.fetch("/api/sessions")).status).toBe(200);
    expect((await onB.fetch("/api/sessions")).status).toBe(200);

    const wrong = await me.client.fetch("/api/account/password", {
      method: "POST",
      json: { currentPassword: "not-it-1", newPassword: "kate-pass-2" },
    });
    expect(wrong.status).toBe(403);
    expect(((await wrong.json()) as ErrorBody).error.code).toBe("wrong_password");
    for (const json of [
      {},
      { currentPassword: "kate-pass-1" },
      { currentPassword: "kate-pass-1", newPassword: "short" },
    ]) {
      const bad = await me.client.fetch("/api/account/password", { method: "POST", json });
      expect(bad.status).toBe(400);
      expect(((await bad.json()) as ErrorBody).error.code).toBe("invalid_request");
    }
    expect((await onB.fetch("/api/sessions")).status).toBe(200);

    const changed = await me.client.fetch("/api/account/password", {
      method: "POST",
      json: { currentPassword: "kate-pass-1", newPassword: "kate-pass-2" },
    });
    expect(changed.status).toBe(200);
    expect(await changed.json()).toEqual({ changed: true, signedOut: 2 });
    const started = Date.now();
    await expect
      .poll(async () => (await onB.fetch("/api/sessions")).status, { timeout: 1000, interval: 20 })
      .toBe(401);
    expect(Date.now() - started).toBeLessThan(1000);
    expect((await browser.fetch("/api/sessions")).status).toBe(401);
    // This session stays; the old password is refused, the new one signs in.
    expect((await me.client.fetch("/api/sessions")).status).toBe(200);
    await expect(signInNative(b.url, "kate", "kate-pass-1")).rejects.toThrow(/401/);
    expect((await signInNative(b.url, "kate", "kate-pass-2")).token).toBeTruthy();
  });

  it("a new display name shows on the computer waiting for the account at once, on the other instance too", async () => {
    const me = await signedUp(b, "leo", "leo-pass-1");
    const desktop = new HttpClient(a.url);
    const { ticketId, scanUrl } = (await (
      await desktop.fetch("/api/qr", { method: "POST" })
    ).json()) as {
      ticketId: string;
      scanUrl: string;
    };
    expect((await me.client.fetch(scanPathOf(scanUrl), { method: "POST" })).status).toBe(200);
    const scanner = async () =>
      (
        (await (await desktop.fetch(`/api/qr/${ticketId}`)).json()) as {
          scanner?: { displayName: string };
        }
      ).scanner?.displayName;
    expect(await scanner()).toBe("Leo");
    for (const json of [
      {},
      { displayName: "" },
      { displayName: "x".repeat(101) },
      { displayName: 7 },
    ]) {
      const bad = await me.client.fetch("/api/account", { method: "PATCH", json });
      expect(bad.status).toBe(400);
    }
    const renamed = await me.client.fetch("/api/account", {
      method: "PATCH",
      json: { displayName: "Leonora Neu" },
    });
    expect(renamed.status).toBe(200);
    expect(await renamed.json()).toMatchObject({ username: "leo", displayName: "Leonora Neu" });
    // Instance A had it cached for a minute: the event makes it forget the old name.
    await expect.poll(scanner, { timeout: 2000, interval: 50 }).toBe("Leonora Neu");
  });

  it("deleting the account needs the password, signs every session out, removes every record in PostgreSQL and Redis, and sends account.deleted", async () => {
    const me = await signedUp(a, "mia", "mia-pass-1");
    const userId = me.user.id;
    // Things of this account everywhere: a second phone on B, a computer signed in by QR
    // (known browser, history), a passkey (and a challenge left open).
    const onB = (await signInNative(b.url, "mia", "mia-pass-1")).client;
    const desktop = new HttpClient(a.url);
    const { ticketId, scanUrl } = (await (
      await desktop.fetch("/api/qr", { method: "POST" })
    ).json()) as {
      ticketId: string;
      scanUrl: string;
    };
    expect((await onB.fetch(scanPathOf(scanUrl), { method: "POST" })).status).toBe(200);
    expect((await onB.fetch(`/api/qr/${ticketId}/confirm`, { method: "POST" })).status).toBe(200);
    expect((await desktop.claim(ticketId)).status).toBe(200);
    expect(desktop.hasSessionCookie()).toBe(true);
    expect((await desktop.session()).user).toMatchObject({ id: userId });
    const key = new SoftAuthenticator({ id: "127.0.0.1", origin: a.url });
    expect(
      (
        await me.client.fetch("/api/passkeys/reauth", {
          method: "POST",
          json: { password: "mia-pass-1" },
        })
      ).status,
    ).toBe(200);
    const options = await (
      await me.client.fetch("/api/passkeys/registration/begin", { method: "POST", json: {} })
    ).json();
    const finish = await me.client.fetch("/api/passkeys/registration/finish", {
      method: "POST",
      json: { response: key.create(options), name: "Mia's key" },
    });
    expect(finish.status).toBe(201);
    await me.client.fetch("/api/passkeys/registration/begin", { method: "POST", json: {} });
    const id = encodeURIComponent(userId);
    const userKeys = async () => (await client.keys("*")).filter((k) => k.includes(id));
    expect((await userKeys()).length).toBeGreaterThan(2);
    expect(
      await sql(`SELECT id FROM passkeys WHERE account_id = '${userId}'`, databaseUrl),
    ).toHaveLength(1);

    for (const json of [{}, { password: 5 }]) {
      expect((await me.client.fetch("/api/account", { method: "DELETE", json })).status).toBe(400);
    }
    const wrong = await me.client.fetch("/api/account", {
      method: "DELETE",
      json: { password: "no-1" },
    });
    expect(wrong.status).toBe(403);
    expect(((await wrong.json()) as ErrorBody).error.code).toBe("wrong_password");
    expect((await onB.fetch("/api/sessions")).status).toBe(200);

    const deleted = await me.client.fetch("/api/account", {
      method: "DELETE",
      json: { password: "mia-pass-1" },
    });
    expect(deleted.status).toBe(200);
    expect(await deleted.json()).toEqual({ deleted: true, signedOut: 3 });
    // Every session is signed out, on both instances.
    await expect
      .poll(async () => (await onB.fetch("/api/sessions")).status, { timeout: 1000, interval: 20 })
      .toBe(401);
    expect((await me.client.fetch("/api/account")).status).toBe(401);
    expect((await desktop.session()).user).toBeUndefined();
    // Nothing left in PostgreSQL ...
    for (const table of [
      "passkeys",
      "account_settings",
      "known_browsers",
      "security_events",
      "recovery_codes",
    ]) {
      expect(
        await sql(`SELECT 1 FROM ${table} WHERE account_id = '${userId}'`, databaseUrl),
      ).toEqual([]);
    }
    expect(await sql(`SELECT 1 FROM accounts WHERE id = '${userId}'`, databaseUrl)).toEqual([]);
    // ... nor in Redis: no key under the user id, no token, no credential's owner.
    expect(await userKeys()).toEqual([]);
    for (const k of await client.keys("qrl:mtok:*")) {
      expect(await client.get(k)).not.toContain(userId);
    }
    expect(await client.keys("qrl:pkowner:*")).toEqual([]);
    // The name is free again; the old password signs nothing in.
    await expect(signInNative(a.url, "mia", "mia-pass-1")).rejects.toThrow(/401/);
    const hook = await receiver.waitFor((r) => r.body.includes('"account.deleted"'));
    expect(JSON.parse(hook.body)).toMatchObject({
      type: "account.deleted",
      data: { userId, username: "mia", signedOut: 3, by: "phone" },
    });
    expect(hook.body).not.toContain("mia-pass-1");
  });

  it("a native app may delete the account with a passkey's step-up instead of the password", async () => {
    const me = await signedUp(a, "rex", "rex-pass-1");
    const post = (path: string, json: unknown = {}) =>
      me.client.fetch(path, { method: "POST", json });
    const key = new SoftAuthenticator({ id: "127.0.0.1", origin: a.url });
    expect((await post("/api/passkeys/reauth", { password: "rex-pass-1" })).status).toBe(200);
    const options = await (await post("/api/passkeys/registration/begin")).json();
    const response = key.create(options);
    expect(
      (await post("/api/passkeys/registration/finish", { response, name: "Rex's key" })).status,
    ).toBe(201);
    const remove = (json: unknown) => me.client.fetch("/api/account", { method: "DELETE", json });
    // A made-up assertion (no step-up asked for) and both proofs at once are refused; nothing is deleted.
    const madeUp = await remove({
      stepUp: key.get({ challenge: Buffer.alloc(32, 7).toString("base64url") }),
    });
    expect(madeUp.status).toBe(400);
    expect(((await madeUp.json()) as ErrorBody).error.code).toBe("passkey_failed");
    const both = await remove({ password: "rex-pass-1", stepUp: key.get({ challenge: "AAAA" }) });
    expect(both.status).toBe(400);
    expect((await me.client.fetch("/api/account")).status).toBe(200);
    const stepUp = key.get(await (await post("/api/passkeys/step-up")).json());
    const deleted = await remove({ stepUp });
    expect(deleted.status).toBe(200);
    expect(await deleted.json()).toEqual({ deleted: true, signedOut: 1 });
    expect(await sql(`SELECT 1 FROM accounts WHERE id = '${me.user.id}'`, databaseUrl)).toEqual([]);
    expect(
      await sql(`SELECT 1 FROM passkeys WHERE account_id = '${me.user.id}'`, databaseUrl),
    ).toEqual([]);
  });

  it("a disabled account's sign-in is refused in words on the phone's and the computer's forms", async () => {
    await signedUp(a, "otto", "otto-pass-1");
    await sql("UPDATE accounts SET disabled = true WHERE username = 'otto'", databaseUrl);
    const words = "This account is disabled. Ask the site&#x27;s administrator to enable it.";
    // The phone's form posts to next-auth; a refusal comes back to /m with next-auth's error.
    const phone = new HttpClient(a.url);
    const refused = await phone.nextAuthCallback("credentials", {
      username: "otto",
      password: "otto-pass-1",
      callbackUrl: "/m",
    });
    const { url } = (await refused.json()) as { url: string };
    expect(phone.hasSessionCookie()).toBe(false);
    // As the browser follows it: next-auth's error page is /m, with the error's words.
    const errorPage = await phone.fetch(url);
    expect(errorPage.status).toBe(302);
    const shown = await phone.fetch(errorPage.headers.get("location") ?? "");
    expect(await shown.text()).toContain(words);
    // The computer's password form: back to /login with the reason.
    const desktop = new HttpClient(a.url);
    const html = await (await desktop.fetch("/login?method=password")).text();
    const csrfToken = /name="csrfToken" value="([^"]+)"/.exec(html)?.[1] ?? "";
    const posted = await desktop.fetch("/login/password", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        csrfToken,
        username: "otto",
        password: "otto-pass-1",
      }).toString(),
    });
    const back = posted.headers.get("location") ?? "";
    expect(back).toContain("error=disabled");
    expect(desktop.hasSessionCookie()).toBe(false);
    expect(await (await desktop.fetch(back)).text()).toContain(words);
  });

  it("the account routes want a phone: 401 without one, 403 for a computer", async () => {
    await signedUp(a, "noah", "noah-pass-1");
    const computer = new HttpClient(a.url);
    await computer.nextAuthCallback("computer", { username: "noah", password: "noah-pass-1" });
    expect(computer.hasSessionCookie()).toBe(true);
    const calls = [
      ["GET", "/api/account", undefined],
      ["PATCH", "/api/account", { displayName: "Someone" }],
      ["DELETE", "/api/account", { password: "noah-pass-1" }],
      [
        "POST",
        "/api/account/password",
        { currentPassword: "noah-pass-1", newPassword: "x-pass-12" },
      ],
    ] as const;
    for (const [method, path, json] of calls) {
      const anonymous = await new HttpClient(a.url).fetch(path, { method, json });
      expect(anonymous.status).toBe(401);
      expect(((await anonymous.json()) as ErrorBody).error.code).toBe("unauthorized");
      const fromComputer = await computer.fetch(path, { method, json });
      expect(fromComputer.status).toBe(403);
      expect(((await fromComputer.json()) as ErrorBody).error.code).toBe("not_an_approver");
    }
    // Nothing of it happened.
    expect((await signInNative(b.url, "noah", "noah-pass-1")).token).toBeTruthy();
    const put = await fetch(`${a.url}/api/account`, { method: "PUT" });
    expect(put.status).toBe(405);
  });
});

describe("an account's routes while Redis is down", () => {
  it("answer 503 store_unavailable fast, and make no account", { timeout: 120_000 }, async () => {
    const redis = await startRedis();
    const databaseUrl = await freshDatabase("account_outage");
    const app = await startApp({ REDIS_URL: redis.url, DATABASE_URL: databaseUrl, SIGNUP: "open" });
    try {
      const me = await signedUp(app, "pia", "pia-pass-1", {});
      await redis.stop();
      const calls: [string, string, unknown][] = [
        ["POST", "/api/accounts", { username: "quinn", password: "quinn-pass-1" }],
        ["GET", "/api/account", undefined],
        ["PATCH", "/api/account", { displayName: "Pia P" }],
        [
          "POST",
          "/api/account/password",
          { currentPassword: "pia-pass-1", newPassword: "pia-pass-2" },
        ],
        ["DELETE", "/api/account", { password: "pia-pass-1" }],
      ];
      for (const [method, path, json] of calls) {
        const started = Date.now();
        const res = await me.client.fetch(path, { method, json });
        expect(res.status, `${method} ${path}`).toBe(503);
        expect(((await res.json()) as ErrorBody).error.code).toBe("store_unavailable");
        expect(Date.now() - started).toBeLessThan(2500);
      }
      // Nothing changed in the database.
      expect(
        await sql(
          "SELECT username, display_name FROM accounts WHERE username IN ('pia', 'quinn')",
          databaseUrl,
        ),
      ).toEqual([{ username: "pia", display_name: "Pia" }]);
    } finally {
      await app.stop();
    }
  });
});

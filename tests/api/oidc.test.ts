import { spawnSync } from "node:child_process";
import * as client from "openid-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AppServer, startApp } from "../support/app-server";
import { SoftAuthenticator } from "../support/authenticator";
import { followWithin, HttpClient, signInNative } from "../support/http-client";
import { startRedis } from "../support/redis-server";

/**
 * The OpenID Provider under /oidc, driven by a real relying party
 * (openid-client validates discovery, the ID token's signature and claims).
 * A browser is an HttpClient: it follows the provider's redirects, signs in
 * with the password form of /login (the QR path is e2e/oidc.spec.ts).
 */
const REDIRECT = "http://127.0.0.1:9/callback";
const SECRET = "example-secret-0123456789";
const CLIENTS = [
  {
    client_id: "example",
    client_name: "ExampleApp",
    client_secret: SECRET,
    redirect_uris: [REDIRECT],
    first_party: true,
  },
  {
    client_id: "other",
    client_name: "Other App",
    client_secret: "other-secret-0123456789",
    redirect_uris: [REDIRECT],
  },
  { client_id: "cli", client_name: "Example CLI", public: true, first_party: true },
];

let app: AppServer;
let issuer: string;

beforeAll(async () => {
  app = await startApp({
    QRL_STORE: "memory",
    OIDC_CLIENTS: JSON.stringify(CLIENTS),
    // Three wrong device codes per address (codes that are found do not count).
    QRL_RATE_LOOKUP_PER_IP: "3",
  });
  issuer = `${app.url}/oidc`;
});
afterAll(async () => app?.stop());

/** openid-client's configuration for a client: `secret` null for a public one. */
const discover = (id = "example", secret: string | null = SECRET) =>
  client.discovery(new URL(issuer), id, secret ?? undefined, secret ? undefined : client.None(), {
    execute: [client.allowInsecureRequests],
  });

/** An authorization request as an app sends it: PKCE S256, state, nonce. */
async function authorization(config: client.Configuration, extra: Record<string, string> = {}) {
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: REDIRECT,
    scope: "openid profile",
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: "S256",
    state,
    nonce,
    ...extra,
  });
  return {
    url,
    checks: { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce },
  };
}

/** Follows same-site redirects until one leaves the provider (the app's redirect URI) or a page answers. */
const follow = (browser: HttpClient, start: string) => followWithin(browser, app.url, start);

/** Runs the browser side: the provider sends it to /login, it signs in with its password, comes back. */
async function signIn(browser: HttpClient, url: URL, username = "alice", password = "wonderland") {
  const toLogin = await follow(browser, url.href);
  expect(toLogin.at).toMatch(/\/login\?callbackUrl=%2Foidc%2Finteraction%2F/);
  const callbackUrl = new URL(toLogin.at).searchParams.get("callbackUrl") ?? "";
  const signedIn = await browser.nextAuthCallback("computer", { username, password });
  expect(signedIn.status).toBe(200);
  return follow(browser, new URL(callbackUrl, app.url).href);
}

/**
 * The device's poll, every 0.2 s instead of the interval the provider suggests (5 s, RFC
 * 8628's default; the provider does not answer slow_down): what these tests follow is the
 * approval, not the pacing, and each poll would otherwise wait up to 5 s after it.
 */
const quick = <T extends { interval?: number }>(device: T): T => ({ ...device, interval: 0.2 });

describe("the OpenID Provider", () => {
  it("is discovered by openid-client: issuer, PKCE S256 only, code flow, device grant", async () => {
    const config = await discover();
    const meta = config.serverMetadata();
    expect(meta.issuer).toBe(issuer);
    expect(meta.code_challenge_methods_supported).toEqual(["S256"]);
    expect(meta.response_types_supported).toEqual(["code"]);
    expect(meta.device_authorization_endpoint).toBe(`${issuer}/device/auth`);
    expect(meta.registration_endpoint).toBeUndefined();
    const jwks = (await (await fetch(meta.jwks_uri ?? "")).json()) as { keys: object[] };
    expect(jwks.keys.length).toBeGreaterThan(0);
    expect(JSON.stringify(jwks)).not.toMatch(/"d"/);
  });

  it("signs a person in: the ID token (verified by openid-client) names the account; the code works once", async () => {
    const config = await discover();
    const { url, checks } = await authorization(config);
    const back = await signIn(new HttpClient(app.url), url);
    expect(back.at.startsWith(REDIRECT)).toBe(true);
    const tokens = await client.authorizationCodeGrant(config, new URL(back.at), checks);
    const claims = tokens.claims();
    expect(claims).toMatchObject({
      iss: issuer,
      aud: "example",
      sub: "demo-alice",
      name: "Alice Liddell",
      preferred_username: "alice",
    });
    const info = await client.fetchUserInfo(config, tokens.access_token, "demo-alice");
    expect(info.preferred_username).toBe("alice");

    // The same code again: refused as the spec says (invalid_grant), never a 500.
    const replay = await client
      .authorizationCodeGrant(config, new URL(back.at), checks)
      .catch((e: unknown) => e);
    expect(replay).toBeInstanceOf(client.ResponseBodyError);
    expect((replay as client.ResponseBodyError).error).toBe("invalid_grant");
    expect((replay as client.ResponseBodyError).status).toBe(400);
  });

  it("the provider's session lasts only while the browser is signed in here: signed out, prompt=none answers login_required", async () => {
    const config = await discover();
    const browser = new HttpClient(app.url);
    await signIn(browser, (await authorization(config)).url);

    // Still signed in here: a silent authorization gets a code at once (single sign-on).
    const silent = await follow(
      browser,
      (await authorization(config, { prompt: "none" })).url.href,
    );
    expect(new URL(silent.at).searchParams.get("code")).toBeTruthy();

    // Signed out of this site (as the phone's "Sign out" of that computer does): no more silent codes.
    const { csrfToken } = (await (await browser.fetch("/api/auth/csrf")).json()) as {
      csrfToken: string;
    };
    const out = await browser.fetch("/api/auth/signout", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: app.url },
      body: new URLSearchParams({ csrfToken, json: "true" }).toString(),
    });
    expect(out.status).toBe(200);
    expect(browser.hasSessionCookie()).toBe(false);
    const refused = await follow(
      browser,
      (await authorization(config, { prompt: "none" })).url.href,
    );
    expect(new URL(refused.at).searchParams.get("error")).toBe("login_required");
    // Without prompt=none, the person is asked to sign in again.
    const again = await follow(browser, (await authorization(config)).url.href);
    expect(again.at).toMatch(/\/login\?callbackUrl=/);
  });

  it("refuses a code redeemed with the wrong PKCE verifier (invalid_grant)", async () => {
    const config = await discover();
    const { url, checks } = await authorization(config);
    const back = await signIn(new HttpClient(app.url), url);
    const refused = await client
      .authorizationCodeGrant(config, new URL(back.at), {
        ...checks,
        pkceCodeVerifier: client.randomPKCECodeVerifier(),
      })
      .catch((e: unknown) => e);
    expect((refused as client.ResponseBodyError).error).toBe("invalid_grant");
  });

  it("refuses a redirect URI that is not the client's: a 400 page, no redirect", async () => {
    const config = await discover();
    const { url } = await authorization(config, { redirect_uri: "https://evil.example/callback" });
    const res = await fetch(url, { redirect: "manual" });
    expect(res.status).toBe(400);
    expect(res.headers.get("location")).toBeNull();
    expect(await res.text()).toContain(
      "redirect_uri did not match any of the client&#39;s registered redirect_uris",
    );
  });

  it("refuses an authorization request without PKCE: back to the app with invalid_request", async () => {
    const config = await discover();
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT,
      scope: "openid profile",
      state: "s1",
    });
    const res = await fetch(url, { redirect: "manual" });
    expect(res.status).toBe(303);
    const to = new URL(res.headers.get("location") ?? "");
    expect(to.href.startsWith(REDIRECT)).toBe(true);
    expect(to.searchParams.get("error")).toBe("invalid_request");
    expect(to.searchParams.get("error_description")).toMatch(/PKCE/);
  });

  it("refuses an unknown client at the authorization and token endpoints (invalid_client), and a wrong secret", async () => {
    const config = await discover();
    const { url } = await authorization(config);
    url.searchParams.set("client_id", "nobody");
    const res = await fetch(url, { redirect: "manual" });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("invalid_client");

    for (const [id, secret] of [
      ["nobody", "whatever-secret-0123456789"],
      ["example", "not-the-secret-0123456789"],
    ] as const) {
      const stranger = await discover(id, secret);
      const refused = await client
        .authorizationCodeGrant(
          stranger,
          new URL(`${REDIRECT}?code=abc&iss=${encodeURIComponent(issuer)}`),
          {},
        )
        .catch((e: unknown) => e);
      expect((refused as client.ResponseBodyError).error).toBe("invalid_client");
      expect((refused as client.ResponseBodyError).status).toBe(401);
    }
  });

  it("an ended or foreign interaction is a 400 page that says to go back to the app", async () => {
    const res = await fetch(`${issuer}/interaction/AAAAAAAAAAAAAAAAAAAAA`, { redirect: "manual" });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("Go back to the app and sign in again.");
  });

  it("asks for consent once for an app that is not first-party, then remembers it for the account", async () => {
    const config = await discover("other", "other-secret-0123456789");
    const browser = new HttpClient(app.url);
    const first = await authorization(config);
    const consent = await signIn(browser, first.url, "bob", "builder");
    expect(consent.status).toBe(200);
    const page = await consent.text();
    expect(page).toContain("Allow <b>Other App</b> to know who you are?");
    expect(page).toContain("Your name and username");
    const action = /action="([^"]+)"/.exec(page)?.[1] ?? "";
    const allowed = await browser.fetch(action, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: app.url },
      body: "decision=allow",
    });
    const back = await follow(
      browser,
      new URL(allowed.headers.get("location") ?? "", app.url).href,
    );
    const tokens = await client.authorizationCodeGrant(config, new URL(back.at), first.checks);
    expect(tokens.claims()?.sub).toBe("demo-bob");

    // Another browser, the same account: no question this time (remembered per account and app).
    const second = await authorization(config);
    const again = await signIn(new HttpClient(app.url), second.url, "bob", "builder");
    expect(again.at.startsWith(REDIRECT)).toBe(true);
    expect(new URL(again.at).searchParams.get("code")).toBeTruthy();
  });

  it("declining consent sends the person back to the app with access_denied", async () => {
    const config = await discover("other", "other-secret-0123456789");
    const browser = new HttpClient(app.url);
    const { url } = await authorization(config);
    const consent = await signIn(browser, url, "carol", "carol-pass");
    const action = /action="([^"]+)"/.exec(await consent.text())?.[1] ?? "";
    const denied = await browser.fetch(action, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: app.url },
      body: "decision=deny",
    });
    const back = await follow(browser, new URL(denied.headers.get("location") ?? "", app.url).href);
    expect(new URL(back.at).searchParams.get("error")).toBe("access_denied");
  });
});

/** The hidden fields and action of the form with this id (\"\": the first form) in a provider page. */
function form(html: string, id: string): { action: string; fields: URLSearchParams } {
  const start = id ? html.indexOf(`id="${id}"`) : html.indexOf("<form");
  const formHtml = html.slice(html.lastIndexOf("<form", start), html.indexOf("</form>", start));
  const action = /action="([^"]+)"/.exec(formHtml)?.[1] ?? "";
  const fields = new URLSearchParams();
  for (const m of formHtml.matchAll(/<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"/g)) {
    fields.set(m[1] ?? "", m[2] ?? "");
  }
  return { action: action.replaceAll("&amp;", "&"), fields };
}

describe("the device grant (RFC 8628)", () => {
  /** A phone signed in to this site (its session cookie), as after /m's sign-in. */
  async function phone() {
    const browser = new HttpClient(app.url);
    const res = await browser.nextAuthCallback("credentials", {
      username: "alice",
      password: "wonderland",
    });
    expect(res.status).toBe(200);
    return browser;
  }

  /** The phone opens verification_uri_complete and gets the confirm screen naming the app and the code. */
  async function confirmScreen(browser: HttpClient, uri: string) {
    // The provider's auto-submitting page (it carries the code and a CSRF token) …
    const opened = await browser.fetch(uri);
    const input = form(await opened.text(), "");
    const confirm = await browser.fetch(input.action || `${issuer}/device`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: app.url },
      body: input.fields.toString(),
    });
    expect(confirm.status).toBe(200);
    return confirm.text();
  }

  it("a command line signs in: user code in the typed-code alphabet, the phone confirms, openid-client's poll gets a verified ID token", async () => {
    const config = await discover("cli", null);
    const device = await client.initiateDeviceAuthorization(config, { scope: "openid profile" });
    expect(device.user_code).toMatch(/^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$/);
    expect(device.verification_uri).toBe(`${issuer}/device`);
    const polled = client.pollDeviceAuthorizationGrant(config, quick(device));

    const browser = await phone();
    const page = await confirmScreen(browser, device.verification_uri_complete ?? "");
    expect(page).toContain("Sign in <b>Example CLI</b> on this device?");
    expect(page).toContain(`Check that the device shows this code: <b>${device.user_code}</b>`);
    // The QR confirm screen's details (components/requester-details.tsx), no warning on one network.
    expect(page).toContain('<dt>IP address</dt><dd class="nowrap">127.0.0.1</dd>');
    expect(page).toContain("<dt>Location</dt><dd>On your local network</dd>");
    expect(page).not.toContain('class="danger-box"');
    const approve = form(page, "op.deviceConfirmForm");
    const approved = await browser.fetch(approve.action, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: app.url },
      body: approve.fields.toString(),
    });
    const done = await follow(
      browser,
      new URL(approved.headers.get("location") ?? "", app.url).href,
    );
    expect(done.status).toBe(200);
    expect(await done.text()).toContain("Done: <b>Example CLI</b> is signed in.");

    const tokens = await polled;
    expect(tokens.claims()).toMatchObject({ sub: "demo-alice", name: "Alice Liddell", aud: "cli" });
  });

  it("Deny on the phone: the device's poll ends with access_denied", async () => {
    const config = await discover("cli", null);
    const device = await client.initiateDeviceAuthorization(config, { scope: "openid profile" });
    const polled = client
      .pollDeviceAuthorizationGrant(config, quick(device))
      .catch((e: unknown) => e);
    const browser = await phone();
    const page = await confirmScreen(browser, device.verification_uri_complete ?? "");
    const deny = form(page, "op.deviceConfirmForm");
    deny.fields.set("abort", "yes");
    const denied = await browser.fetch(deny.action, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: app.url },
      body: deny.fields.toString(),
    });
    expect(await denied.text()).toContain("The sign-in was cancelled.");
    expect(((await polled) as client.ResponseBodyError).error).toBe("access_denied");
  });

  /** Approve on the phone's confirm screen; the page the phone ends on. */
  async function approveOnPhone(
    browser: HttpClient,
    device: { verification_uri_complete?: string },
  ) {
    const approve = form(
      await confirmScreen(browser, device.verification_uri_complete ?? ""),
      "op.deviceConfirmForm",
    );
    const approved = await browser.fetch(approve.action, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: app.url },
      body: approve.fields.toString(),
    });
    return follow(browser, new URL(approved.headers.get("location") ?? "", app.url).href);
  }

  it("an account that approves only with a passkey is asked for it on the phone (S80): refused in words without it, signed in with it, and the assertion works once", async () => {
    const config = await discover("cli", null);
    const browser = new HttpClient(app.url);
    await browser.nextAuthCallback("credentials", { username: "carol", password: "carol-pass" });
    // Before her passkey, Carol approves a device: her phone browser now holds a provider session.
    const first = await client.initiateDeviceAuthorization(config, { scope: "openid profile" });
    const firstPoll = client.pollDeviceAuthorizationGrant(config, quick(first));
    expect((await approveOnPhone(browser, first)).status).toBe(200);
    expect((await firstPoll).claims()?.sub).toBe("demo-carol");

    // Carol adds a passkey (password re-entered first): from now on she approves only with it.
    const native = (await signInNative(app.url, "carol", "carol-pass")).client;
    expect(
      (
        await native.fetch("/api/passkeys/reauth", {
          method: "POST",
          json: { password: "carol-pass" },
        })
      ).status,
    ).toBe(200);
    const key = new SoftAuthenticator({ id: "127.0.0.1", origin: app.url });
    const options = await (
      await native.fetch("/api/passkeys/registration/begin", { method: "POST", json: {} })
    ).json();
    const added = await native.fetch("/api/passkeys/registration/finish", {
      method: "POST",
      json: { response: key.create(options), name: "Carol's phone" },
    });
    expect(added.status).toBe(201);

    // The same phone browser, its provider session still there: Approve leads to the passkey step.
    const device = await client.initiateDeviceAuthorization(config, { scope: "openid profile" });
    const polled = client
      .pollDeviceAuthorizationGrant(config, quick(device))
      .catch((e: unknown) => e);
    const step = await approveOnPhone(browser, device);
    expect(step.status).toBe(200);
    const page = await step.text();
    expect(page).toContain("Approve <b>Example CLI</b> with your passkey");
    const passkeyUrl = new URL(`${new URL(step.at).pathname}/passkey`, app.url).href;
    const send = (json: unknown, origin = app.url) =>
      browser.fetch(passkeyUrl, { method: "POST", headers: { origin }, json });

    // Without an assertion: refused in words, nothing approved.
    const bare = await send({ response: null });
    expect(bare.status).toBe(403);
    expect(await bare.json()).toEqual({
      error: {
        code: "passkey_required",
        message: "Approve with your passkey: your account requires it.",
      },
    });
    // From another site: refused.
    expect((await send({}, "https://evil.example")).status).toBe(403);

    // With her passkey: options bound to this request, the assertion, then the provider's way on.
    const asked = await send({});
    expect(asked.status).toBe(200);
    const assertion = key.get(await asked.json());
    const answered = await send({ response: assertion });
    expect(answered.status).toBe(200);
    const { redirectTo } = (await answered.json()) as { redirectTo: string };
    const done = await follow(browser, new URL(redirectTo, app.url).href);
    expect(await done.text()).toContain("Done: <b>Example CLI</b> is signed in.");
    const tokens = (await polled) as client.TokenEndpointResponse &
      client.TokenEndpointResponseHelpers;
    expect(tokens.claims()?.sub).toBe("demo-carol");

    // The same assertion for another device's request: refused (bound to its request, one-time).
    const other = await client.initiateDeviceAuthorization(config, { scope: "openid profile" });
    const otherPoll = client
      .pollDeviceAuthorizationGrant(config, quick(other))
      .catch((e: unknown) => e);
    const otherStep = await approveOnPhone(browser, other);
    const replay = await browser.fetch(
      new URL(`${new URL(otherStep.at).pathname}/passkey`, app.url).href,
      { method: "POST", headers: { origin: app.url }, json: { response: assertion } },
    );
    expect(replay.status).toBe(400);
    expect(((await replay.json()) as { error: { code: string } }).error.code).toBe(
      "passkey_failed",
    );
    // Asking for options again and again: limited per account (QRL_RATE_PASSKEY_BEGIN_PER_MIN, 20).
    const otherUrl = new URL(`${new URL(otherStep.at).pathname}/passkey`, app.url).href;
    let limited: Response | undefined;
    for (let i = 0; i < 25 && !limited; i++) {
      const res = await browser.fetch(otherUrl, {
        method: "POST",
        headers: { origin: app.url },
        json: {},
      });
      if (res.status !== 200) limited = res;
    }
    expect(limited?.status).toBe(429);
    expect(limited?.headers.get("retry-after")).toMatch(/^\d+$/);
    expect(await limited?.json()).toMatchObject({ error: { code: "rate_limited" } });
    // Deny on the passkey step (a plain form): the device's poll ends with access_denied.
    const denied = await browser.fetch(
      new URL(`${new URL(otherStep.at).pathname}/passkey`, app.url).href,
      {
        method: "POST",
        headers: { origin: app.url, "content-type": "application/x-www-form-urlencoded" },
        body: "decision=deny",
      },
    );
    await follow(browser, new URL(denied.headers.get("location") ?? "", app.url).href);
    expect(((await otherPoll) as client.ResponseBodyError).error).toBe("access_denied");
  });

  it("guessing user codes on /oidc/device is limited per address, as typed codes are (429 after QRL_RATE_LOOKUP_PER_IP misses)", async () => {
    const browser = new HttpClient(app.url);
    const guess = async (code: string) => {
      const input = form(
        await (await browser.fetch(`${issuer}/device`)).text(),
        "op.deviceInputForm",
      );
      input.fields.set("user_code", code);
      return browser.fetch(input.action, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", origin: app.url },
        body: input.fields.toString(),
      });
    };
    for (const code of ["BBBB-BBBB", "CCCC-CCCC", "DDDD-DDDD"]) {
      const miss = await guess(code);
      expect(miss.status).toBe(200);
      expect(await miss.text()).toContain("That code is not known or has run out.");
    }
    const refused = await guess("FFFF-FFFF");
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toMatch(/^\d+$/);
    expect(await refused.text()).toContain("Too many codes were tried from this network.");
  });
});

describe("npm run users -- clients (the admin command)", () => {
  const run = (clients?: string) => {
    const result = spawnSync(
      "node_modules/.bin/tsx",
      ["--conditions=react-server", "scripts/users.ts", "clients"],
      {
        env: {
          PATH: process.env.PATH ?? "",
          NODE_ENV: "production",
          LOG_LEVEL: "silent",
          ...(clients ? { OIDC_CLIENTS: clients } : {}),
        },
        encoding: "utf8",
        timeout: 60_000,
      },
    );
    return { status: result.status, out: result.stdout.trim(), err: result.stderr.trim() };
  };

  it("lists the declared apps without their secrets, and refuses a malformed declaration by name", () => {
    const listed = run(JSON.stringify(CLIENTS));
    expect(listed.status).toBe(0);
    expect(listed.out.split("\n")).toEqual([
      `example\tExampleApp\tconfidential\tfirst-party\t${REDIRECT}`,
      `other\tOther App\tconfidential\tasks consent\t${REDIRECT}`,
      "cli\tExample CLI\tpublic\tfirst-party\t(device grant only)",
    ]);
    expect(listed.out).not.toContain(SECRET);
    expect(run()).toMatchObject({
      status: 0,
      out: "no OpenID Connect clients (OIDC_CLIENTS is unset)",
    });
    expect(run('[{"client_id":"x","redirect_uris":["https://x.example/cb"]}]')).toMatchObject({
      status: 1,
      err: "Invalid environment variable OIDC_CLIENTS: 0: give either client_secret or public: true",
    });
  });
});

describe("an interaction that runs out (OIDC_INTERACTION_TTL_S=2)", () => {
  it("is a 400 page saying to go back to the app, and signing in afterwards does not finish it", async () => {
    const own = await startApp({
      QRL_STORE: "memory",
      OIDC_CLIENTS: JSON.stringify(CLIENTS),
      OIDC_INTERACTION_TTL_S: "2",
    });
    try {
      const config = await client.discovery(
        new URL(`${own.url}/oidc`),
        "example",
        SECRET,
        undefined,
        {
          execute: [client.allowInsecureRequests],
        },
      );
      const browser = new HttpClient(own.url);
      const start = await browser.fetch((await authorization(config)).url.href);
      const interactionUrl = new URL(start.headers.get("location") ?? "", own.url).href;
      expect((await browser.fetch(interactionUrl)).status).toBe(303);
      // The person signs in only after the interaction ran out.
      await expect
        .poll(async () => (await browser.fetch(interactionUrl)).status, { timeout: 10_000 })
        .toBe(400);
      await browser.nextAuthCallback("computer", { username: "alice", password: "wonderland" });
      const late = await browser.fetch(interactionUrl);
      expect(late.status).toBe(400);
      expect(await late.text()).toContain(
        "This sign-in request has ended or was opened in another browser.",
      );
    } finally {
      await own.stop();
    }
  });
});

describe("the OpenID Provider while Redis is down", () => {
  it("answers 503 with Retry-After (the authorization endpoint and the interaction), not a 500, and works again when Redis is back", async () => {
    const redis = await startRedis();
    const own = await startApp({ REDIS_URL: redis.url, OIDC_CLIENTS: JSON.stringify(CLIENTS) });
    try {
      const config = await client.discovery(
        new URL(`${own.url}/oidc`),
        "example",
        SECRET,
        undefined,
        {
          execute: [client.allowInsecureRequests],
        },
      );
      const { url } = await authorization(config);
      // A browser already on its way: the provider sent it to the interaction (its cookie set).
      const browser = new HttpClient(own.url);
      const toInteraction = await browser.fetch(url.href);
      const interactionUrl = new URL(toInteraction.headers.get("location") ?? "", own.url).href;
      await redis.stop();
      const started = Date.now();
      const down = await fetch(url, { redirect: "manual" });
      expect(down.status).toBe(503);
      expect(down.headers.get("retry-after")).toMatch(/^\d+$/);
      expect(await down.json()).toMatchObject({ error: "temporarily_unavailable" });
      const interaction = await browser.fetch(interactionUrl);
      expect(interaction.status).toBe(503);
      expect(interaction.headers.get("retry-after")).toMatch(/^\d+$/);
      expect(Date.now() - started).toBeLessThan(5000);

      await redis.start();
      await expect
        .poll(async () => (await fetch(url, { redirect: "manual" })).status, { timeout: 15_000 })
        .toBe(303);
    } finally {
      await own.stop();
      await redis.stop();
    }
  });
});

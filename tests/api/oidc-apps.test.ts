import { spawnSync } from "node:child_process";
import { get as httpGet } from "node:http";
import { exportJWK, generateKeyPair } from "jose";
import * as client from "openid-client";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type AppServer, SHARED_SECRET, startApp, TEST_USERS } from "../support/app-server";
import { freshDatabase } from "../support/databases";
import {
  type ExampleApp,
  exampleClient,
  examplePort,
  startExampleApp,
} from "../support/example-app";
import { followWithin, HttpClient, signInNative } from "../support/http-client";

/**
 * Signing out of apps through the OpenID Provider: RP-initiated logout, and
 * an account disabled or deleted by the admin command (its apps get a
 * back-channel logout token, its grants and refresh tokens end); refresh
 * tokens; the consent form refuses other sites; the device grant's confirm
 * screen warns as the QR confirm screen does. One server (PostgreSQL, the
 * run's Redis, a fixed signing key the admin command shares) and the
 * example app (examples/express-app) as the app with a back-channel endpoint.
 */
const USERS = `${TEST_USERS},dora:dora-pass-1:Dora,erin:erin-pass-1:Erin,fay:fay-pass-1:Fay`;
let app: AppServer;
let example: ExampleApp;
let issuer: string;
let redirect: string;
let serverEnv: Record<string, string>;

beforeAll(async () => {
  const port = await examplePort();
  const { privateKey } = await generateKeyPair("RS256", { extractable: true });
  const jwks = JSON.stringify({
    keys: [{ ...(await exportJWK(privateKey)), kid: "test-key", alg: "RS256", use: "sig" }],
  });
  const clients = JSON.stringify([
    exampleClient(port),
    {
      client_id: "other",
      client_name: "Other App",
      client_secret: "other-secret-0123456789",
      redirect_uris: [`http://127.0.0.1:${port}/callback`],
    },
    { client_id: "cli", client_name: "Example CLI", public: true, first_party: true },
  ]);
  const database = await freshDatabase("oidc_logout");
  app = await startApp({
    REDIS_URL: inject("redisUrl"),
    DATABASE_URL: database,
    QRL_DEMO_USERS: USERS,
    OIDC_CLIENTS: clients,
    OIDC_JWKS: jwks,
    // One proxy in front (the device's address from X-Forwarded-For, for the warnings test).
    TRUST_PROXY: "1",
  });
  issuer = `${app.url}/oidc`;
  redirect = exampleClient(port).redirect_uris[0] ?? "";
  // The admin command with the server's settings (README): the same database, Redis, issuer and key.
  serverEnv = {
    DATABASE_URL: database,
    REDIS_URL: inject("redisUrl"),
    NEXTAUTH_SECRET: SHARED_SECRET,
    NEXTAUTH_URL: app.url,
    OIDC_CLIENTS: clients,
    OIDC_JWKS: jwks,
  };
  example = await startExampleApp(issuer, port);
}, 120_000);
afterAll(async () => {
  await example?.stop();
  await app?.stop();
});

function users(args: string[]) {
  const result = spawnSync(
    "node_modules/.bin/tsx",
    ["--conditions=react-server", "scripts/users.ts", ...args],
    {
      env: {
        PATH: process.env.PATH ?? "",
        NODE_ENV: "production",
        LOG_LEVEL: "silent",
        ...serverEnv,
      },
      encoding: "utf8",
      timeout: 60_000,
    },
  );
  // oidc-provider warns once about Node 20 (docs: it works); anything else on stderr is a problem.
  const err = result.stderr
    .split("\n")
    .filter((line) => !line.startsWith("oidc-provider WARNING: Unsupported runtime"))
    .join("\n")
    .trim();
  return { status: result.status, out: result.stdout.trim(), err };
}

const discover = (id = "example", secret = exampleClient(0).client_secret) =>
  client.discovery(new URL(issuer), id, secret, undefined, {
    execute: [client.allowInsecureRequests],
  });

/** Follows same-site redirects until one leaves the provider (the app's redirect URI) or a page answers. */
const follow = (browser: HttpClient, start: string) => followWithin(browser, app.url, start);

/** A computer's browser signed in here with the password form. */
async function signedInBrowser(username: string, password: string) {
  const browser = new HttpClient(app.url);
  expect((await browser.nextAuthCallback("computer", { username, password })).status).toBe(200);
  return browser;
}

/**
 * A GET to the example app on a connection of its own (node:http, no pool:
 * a pooled connection the app closed meanwhile would fail the request).
 */
function exampleGet(url: string, cookie = "") {
  return new Promise<{ status: number; location: string; setCookie: string; text: string }>(
    (resolve, reject) => {
      const req = httpGet(url, { agent: false, headers: cookie ? { cookie } : {} }, (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk) => {
          text += chunk;
        });
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            location: res.headers.location ?? "",
            setCookie: (res.headers["set-cookie"] ?? []).join(", "),
            text,
          }),
        );
      });
      req.on("error", reject);
    },
  );
}

/** The example app (its own cookie) signs `browser`'s person in; returns its home page's text. */
async function signInToExample(browser: HttpClient) {
  const start = await exampleGet(`${example.url}/login`);
  const cookie = start.setCookie.split(";")[0] ?? "";
  const back = await follow(browser, start.location);
  expect(back.at.startsWith(`${example.url}/callback`)).toBe(true);
  const done = await exampleGet(back.at, cookie);
  expect(done.status).toBe(302);
  return { home: async () => (await exampleGet(example.url, cookie)).text };
}

/** An authorization with PKCE, as openid-client builds it. */
async function authorization(config: client.Configuration, extra: Record<string, string> = {}) {
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: redirect,
    scope: "openid profile",
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: "S256",
    state,
    ...extra,
  });
  return { url, checks: { pkceCodeVerifier: verifier, expectedState: state } };
}

/** Answers the consent page `page` (its form) with `decision`; returns where the provider sends the browser. */
async function consent(browser: HttpClient, page: string, decision: "allow" | "deny") {
  const action = /action="([^"]+)"/.exec(page)?.[1] ?? "";
  const answered = await browser.fetch(action.replaceAll("&amp;", "&"), {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", origin: app.url },
    body: `decision=${decision}`,
  });
  return follow(browser, new URL(answered.headers.get("location") ?? "", app.url).href);
}

/** Tokens with a refresh token: offline_access asks for consent (prompt=consent), then the code. */
async function offlineTokens(browser: HttpClient, config: client.Configuration) {
  const { url, checks } = await authorization(config, {
    scope: "openid profile offline_access",
    prompt: "consent",
  });
  const page = await follow(browser, url.href);
  expect(page.status).toBe(200);
  const back = await consent(browser, await page.text(), "allow");
  const tokens = await client.authorizationCodeGrant(config, new URL(back.at), checks);
  expect(tokens.refresh_token).toBeTruthy();
  return tokens;
}

describe("RP-initiated logout (end_session)", () => {
  it("with id_token_hint and a registered post_logout_redirect_uri: the provider session ends and the browser goes back there only", async () => {
    const config = await discover();
    const browser = await signedInBrowser("alice", "wonderland");
    const { url, checks } = await authorization(config);
    const back = await follow(browser, url.href);
    const tokens = await client.authorizationCodeGrant(config, new URL(back.at), checks);
    const idToken = tokens.id_token ?? "";

    // An address the app never registered: refused with a page, no redirect.
    const stranger = await browser.fetch(
      client.buildEndSessionUrl(config, {
        id_token_hint: idToken,
        post_logout_redirect_uri: "https://evil.example/",
      }).href,
    );
    expect(stranger.status).toBe(400);
    expect(stranger.headers.get("location")).toBeNull();
    expect(await stranger.text()).toContain("post_logout_redirect_uri not registered");

    // The registered one: the provider asks, the person says yes, the browser lands there.
    const registered = exampleClient(0).post_logout_redirect_uris[0]?.replace(
      ":0/",
      `:${new URL(example.url).port}/`,
    );
    const ask = await browser.fetch(
      client.buildEndSessionUrl(config, {
        id_token_hint: idToken,
        post_logout_redirect_uri: registered ?? "",
        state: "bye",
      }).href,
    );
    expect(ask.status).toBe(200);
    const form = await ask.text();
    // In the interface's words and look.
    expect(form).toContain("<h1>Sign out?</h1>");
    expect(form).toContain('<section class="card">');
    const action = /action="([^"]+)"/.exec(form)?.[1] ?? "";
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(form)?.[1] ?? "";
    const out = await browser.fetch(new URL(action, app.url).href, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: app.url },
      body: new URLSearchParams({ xsrf, logout: "yes" }).toString(),
    });
    const landed = await follow(browser, new URL(out.headers.get("location") ?? "", app.url).href);
    expect(landed.at).toBe(`${registered}?state=bye`);

    // The provider session is gone: a silent authorization gets no code without a new sign-in here.
    const silent = await follow(
      browser,
      (await authorization(config, { prompt: "none" })).url.href,
    );
    const answer = new URL(silent.at).searchParams;
    expect(answer.get("code")).toBeNull();
    expect(answer.get("error")).toBe("login_required");
  });
});

describe("refresh tokens (offline_access with consent)", () => {
  it("refresh works and keeps the account's claims; a refresh token that is not ours is refused", async () => {
    const config = await discover();
    const browser = await signedInBrowser("bob", "builder");
    const tokens = await offlineTokens(browser, config);
    const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token ?? "");
    expect(refreshed.access_token).toBeTruthy();
    expect(refreshed.access_token).not.toBe(tokens.access_token);
    expect(refreshed.claims()?.sub).toBe("demo-bob");
    // Not rotated for a confidential client before 70% of its life (oidc-provider's rule).
    expect(refreshed.refresh_token ?? tokens.refresh_token).toBe(tokens.refresh_token);
    const again = await client.refreshTokenGrant(config, tokens.refresh_token ?? "");
    expect(again.access_token).toBeTruthy();

    const forged = await client
      .refreshTokenGrant(config, `${tokens.refresh_token}x`)
      .catch((e: unknown) => e);
    expect((forged as client.ResponseBodyError).error).toBe("invalid_grant");
    // Another app cannot use it either.
    const other = await discover("other", "other-secret-0123456789");
    const foreign = await client
      .refreshTokenGrant(other, tokens.refresh_token ?? "")
      .catch((e: unknown) => e);
    expect((foreign as client.ResponseBodyError).error).toBe("invalid_grant");
  });
});

describe("the consent form", () => {
  it("refuses a POST from another site (Origin), and the interaction still answers from this one", async () => {
    const config = await discover("other", "other-secret-0123456789");
    const browser = await signedInBrowser("carol", "carol-pass");
    const { url } = await authorization(config);
    const page = await follow(browser, url.href);
    const html = await page.text();
    expect(html).toContain("Allow <b>Other App</b> to know who you are?");
    const action = (/action="([^"]+)"/.exec(html)?.[1] ?? "").replaceAll("&amp;", "&");
    const crossSite: Record<string, string>[] = [
      { origin: "https://evil.example" },
      { "sec-fetch-site": "cross-site" },
    ];
    for (const headers of crossSite) {
      const forged = await browser.fetch(action, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
        body: "decision=allow",
      });
      expect(forged.status).toBe(403);
      expect(forged.headers.get("location")).toBeNull();
    }
    // Nothing was allowed: the same form from this site still asks and is answered.
    const back = await consent(browser, html, "deny");
    expect(new URL(back.at).searchParams.get("error")).toBe("access_denied");
  });
});

describe("an account disabled or deleted by the admin command", () => {
  it("disable: the apps it signed in to get a back-channel logout token, its refresh tokens and grants end (S81)", async () => {
    const browser = await signedInBrowser("dora", "dora-pass-1");
    const inExample = await signInToExample(browser);
    expect(await inExample.home()).toContain("Signed in as Dora (dora)");
    const config = await discover();
    const tokens = await offlineTokens(browser, config);
    expect(
      (await client.refreshTokenGrant(config, tokens.refresh_token ?? "")).claims()?.sub,
    ).toMatch(/.+/);

    const disabled = users(["disable", "dora"]);
    expect(disabled.err).toBe("");
    expect(disabled.status).toBe(0);
    expect(disabled.out).toMatch(/^disabled dora; 1 session signed out; \d+ app grants? revoked$/);
    // The example app verified the logout token (jose, the provider's key) and ended its session.
    expect(await inExample.home()).toContain("You are not signed in.");
    const refused = await client
      .refreshTokenGrant(config, tokens.refresh_token ?? "")
      .catch((e: unknown) => e);
    expect((refused as client.ResponseBodyError).error).toBe("invalid_grant");
    const info = await client
      .fetchUserInfo(config, tokens.access_token, client.skipSubjectCheck)
      .catch((e: unknown) => e);
    expect(info).toBeInstanceOf(Error);
  });

  it("delete: the same, and the account's apps are signed out before it is gone", async () => {
    const browser = await signedInBrowser("erin", "erin-pass-1");
    const inExample = await signInToExample(browser);
    expect(await inExample.home()).toContain("Signed in as Erin (erin)");
    const config = await discover();
    const tokens = await offlineTokens(browser, config);

    const deleted = users(["delete", "erin"]);
    expect(deleted.err).toBe("");
    expect(deleted.status).toBe(0);
    expect(deleted.out).toMatch(/^deleted erin; 1 session signed out; \d+ app grants? revoked$/);
    expect(await inExample.home()).toContain("You are not signed in.");
    const refused = await client
      .refreshTokenGrant(config, tokens.refresh_token ?? "")
      .catch((e: unknown) => e);
    expect((refused as client.ResponseBodyError).error).toBe("invalid_grant");
  });
});

describe("an account deleted from the phone (DELETE /api/account)", () => {
  it("signs it out of the apps it signed in to (back-channel) and ends its refresh tokens (S81)", async () => {
    const browser = await signedInBrowser("fay", "fay-pass-1");
    const inExample = await signInToExample(browser);
    expect(await inExample.home()).toContain("Signed in as Fay (fay)");
    const config = await discover();
    const tokens = await offlineTokens(browser, config);

    const phone = (await signInNative(app.url, "fay", "fay-pass-1")).client;
    const deleted = await phone.fetch("/api/account", {
      method: "DELETE",
      json: { password: "fay-pass-1" },
    });
    expect(deleted.status).toBe(200);
    expect(await inExample.home()).toContain("You are not signed in.");
    const refused = await client
      .refreshTokenGrant(config, tokens.refresh_token ?? "")
      .catch((e: unknown) => e);
    expect((refused as client.ResponseBodyError).error).toBe("invalid_grant");
  });
});

describe("the device grant's confirm screen", () => {
  it("shows the QR confirm screen's details and warnings: a device on another network than the phone puts Deny first (S83)", async () => {
    // A TV on a public address (through the proxy) asks; the phone is on the local network.
    const started = await fetch(`${issuer}/device/auth`, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        "x-forwarded-for": "203.0.113.7",
        "user-agent":
          "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/130.0 Safari/537.36",
      },
      body: "client_id=cli&scope=openid",
    });
    expect(started.status).toBe(200);
    const device = (await started.json()) as {
      verification_uri_complete: string;
      user_code: string;
    };
    const phone = await signedInBrowser("alice", "wonderland");
    const opened = await (await phone.fetch(device.verification_uri_complete)).text();
    const fields = new URLSearchParams();
    for (const m of opened.matchAll(/<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"/g)) {
      fields.set(m[1] ?? "", m[2] ?? "");
    }
    const confirm = await phone.fetch(`${issuer}/device`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: app.url },
      body: fields.toString(),
    });
    expect(confirm.status).toBe(200);
    const page = await confirm.text();
    // The QR confirm screen's components: the danger box and the requester's details.
    expect(page).toContain('<div role="alert" class="danger-box"');
    expect(page).toContain(
      "This sign-in request comes from a different network than your phone. If someone sent you this code, deny it.",
    );
    expect(page).toContain('<dt>IP address</dt><dd class="nowrap">203.0.113.7</dd>');
    expect(page).toContain("<dt>Browser</dt><dd>Chrome 130</dd>");
    expect(page).toContain(`aria-hidden="true">${device.user_code}</span>`);
    // Warned: Deny comes first and is the strong button, as on the QR confirm screen.
    expect(page.indexOf('name="abort" value="yes">Deny')).toBeLessThan(page.indexOf(">Approve<"));
    expect(page).toContain(
      'class="btn btn-secondary" type="submit" form="op.deviceConfirmForm">Approve',
    );
  });
});

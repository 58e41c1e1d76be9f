import { beforeAll, describe, expect, it } from "vitest";
import type { SessionInfo } from "@/lib/api/shapes";
import { type AppServer, TEST_USERS } from "../support/app-server";
import { HttpClient, scanPathOf, signInNative } from "../support/http-client";
import { useStack } from "../support/stack";

/**
 * The session registry across two instances sharing one Redis (PROTOCOL v2
 * "Roles and sessions", "Session registry"; SECURITY 24–28). Each test signs
 * in its own user, so every list it reads holds only that test's devices.
 *
 * A signed-out cookie or token is replayed exactly as it was (a fixed header,
 * not the cookie jar, which drops the cookie when the server clears it), so
 * every check asks the server again.
 */

const MAX_AGE_S = 3600;
const USERS = [
  "dave:dave-pass:Dave",
  "erin:erin-pass:Erin",
  "frank:frank-pass:Frank",
  "grace:grace-pass:Grace",
  "heidi:heidi-pass:Heidi",
  "ivan:ivan-pass:Ivan",
  "judy:judy-pass:Judy",
];
const ENV = {
  QRL_DEMO_USERS: [TEST_USERS, ...USERS].join(","),
  SESSION_MAX_AGE_S: String(MAX_AGE_S),
};
const DESKTOP_UA =
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
const PHONE_UA =
  "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36";

/** How a request proves who it is: a session cookie (sent same-origin, as the site's own page would) or a bearer token. */
type Credential = { cookie: string } | { token: string };

const cookieOf = (client: HttpClient): Credential => {
  expect(client.hasSessionCookie()).toBe(true);
  return { cookie: [...client.cookies].map(([k, v]) => `${k}=${v}`).join("; ") };
};

/** A request to `app` with `who`'s credential; cookie requests carry this instance's own Origin and Sec-Fetch-Site. */
function call(
  app: AppServer,
  who: Credential,
  method: string,
  path: string,
  json?: unknown,
): Promise<Response> {
  const headers: Record<string, string> =
    "token" in who
      ? { authorization: `Bearer ${who.token}` }
      : { cookie: who.cookie, origin: app.url, "sec-fetch-site": "same-origin" };
  if (json !== undefined) headers["content-type"] = "application/json";
  return fetch(`${app.url}${path}`, {
    method,
    headers,
    body: json === undefined ? undefined : JSON.stringify(json),
    redirect: "manual",
  });
}

const errorCode = async (res: Response) =>
  ((await res.json().catch(() => null)) as { error?: { code?: string } } | null)?.error?.code;

/** Who `/api/auth/session` says the cookie belongs to (undefined: signed out). */
async function sessionUser(app: AppServer, who: { cookie: string }) {
  const res = await fetch(`${app.url}/api/auth/session`, { headers: { cookie: who.cookie } });
  expect(res.status).toBe(200);
  return ((await res.json()) as { user?: { id: string; kind?: string } }).user;
}

async function listOf(app: AppServer, who: Credential): Promise<SessionInfo[]> {
  const res = await call(app, who, "GET", "/api/sessions");
  expect(res.status).toBe(200);
  return ((await res.json()) as { sessions: SessionInfo[] }).sessions;
}

/** The id of the session making the request, from its own list. */
async function idOf(app: AppServer, who: Credential): Promise<string> {
  const me = (await listOf(app, who)).filter((s) => s.current);
  expect(me).toHaveLength(1);
  return me[0]?.id ?? "";
}

/** A phone browser signed in with a password on `app`. */
async function phoneBrowser(app: AppServer, username: string) {
  const browser = new HttpClient(app.url, { "user-agent": PHONE_UA });
  await browser.nextAuthCallback("credentials", { username, password: `${username}-pass` });
  const who = cookieOf(browser);
  return { who, id: await idOf(app, who) };
}

/** A native app signed in on `app`. */
async function nativeApp(app: AppServer, username: string) {
  const { token } = await signInNative(app.url, username, `${username}-pass`, {
    "user-agent": PHONE_UA,
  });
  const who: Credential = { token };
  return { who, id: await idOf(app, who) };
}

/** A login page on `app` with a new ticket. */
async function loginPage(app: AppServer) {
  const desktop = new HttpClient(app.url, { "user-agent": DESKTOP_UA });
  const res = await desktop.fetch("/api/qr", { method: "POST" });
  expect(res.status).toBe(201);
  const { ticketId, scanUrl, userCode } = (await res.json()) as {
    ticketId: string;
    scanUrl: string;
    userCode: string;
  };
  const state = async () =>
    ((await (await desktop.fetch(`/api/qr/${ticketId}`)).json()) as { state: string }).state;
  return { desktop, ticketId, scanUrl, userCode, state };
}

/** A computer signed in by QR on `desktopApp`, approved by `phone` through `phoneApp`. */
async function computer(
  desktopApp: AppServer,
  phone: { who: Credential },
  phoneApp: AppServer = desktopApp,
) {
  const page = await loginPage(desktopApp);
  // The phone scans the QR the page showed (its token included), then confirms.
  for (const path of [scanPathOf(page.scanUrl), `/api/qr/${page.ticketId}/confirm`]) {
    const res = await call(phoneApp, phone.who, "POST", path);
    expect(res.status).toBe(200);
  }
  await page.desktop.claim(page.ticketId);
  const who = cookieOf(page.desktop) as { cookie: string };
  expect((await sessionUser(desktopApp, who))?.kind).toBe("computer");
  const listed = (await listOf(phoneApp, phone.who)).filter((s) => s.kind === "computer");
  const [newest] = listed.sort((x, y) => Date.parse(y.createdAt) - Date.parse(x.createdAt));
  return { who, id: newest?.id ?? "", ticketId: page.ticketId };
}

/** A request that needs an approver, to tell signed in (not 401) from signed out (401). */
const approverProbe = (app: AppServer, who: Credential) => call(app, who, "GET", "/api/sessions");

/** Waits (bounded, polling every 20 ms) until `refused()` is true; returns how long it took. */
async function untilRefused(refused: () => Promise<boolean>, limitMs = 1000): Promise<number> {
  const started = performance.now();
  for (;;) {
    if (await refused()) return performance.now() - started;
    const elapsed = performance.now() - started;
    if (elapsed > limitMs)
      throw new Error(`still accepted ${Math.round(elapsed)} ms after sign-out`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("session registry across two instances", () => {
  const stack = useStack({ instances: 2, env: ENV });
  let a: AppServer;
  let b: AppServer;
  let both: Array<[string, AppServer]>;

  beforeAll(() => {
    a = stack.app;
    b = stack.apps[1] as AppServer;
    both = [
      ["A", a],
      ["B", b],
    ];
  });

  it("a: refuses a computer's session on every approver route, on both instances (403 not_an_approver)", async () => {
    const phone = await nativeApp(a, "dave");
    const pc = await computer(a, phone);
    const fresh = await loginPage(a);
    // A sign-in request the user's phone scanned: a computer must not answer it for the phone.
    const scanned = await loginPage(b);
    expect((await call(b, phone.who, "POST", scanPathOf(scanned.scanUrl))).status).toBe(200);
    const listBefore = await listOf(a, phone.who);

    const attempts: Array<[string, string, unknown?]> = [
      ["POST", `/api/qr/${fresh.ticketId}/scan`],
      ["POST", `/api/qr/${scanned.ticketId}/confirm`],
      ["POST", `/api/qr/${scanned.ticketId}/deny`],
      ["POST", `/api/qr/${scanned.ticketId}/report`],
      ["GET", `/api/qr/${scanned.ticketId}/approval`],
      ["POST", "/api/qr/lookup", { userCode: fresh.userCode }],
      ["GET", "/api/sessions"],
      ["DELETE", `/api/sessions/${phone.id}`],
      ["DELETE", `/api/sessions/${pc.id}`],
      ["POST", `/api/sessions/${phone.id}/report`],
      ["DELETE", "/api/sessions"],
      ["DELETE", "/api/mobile/sessions/current"],
    ];
    for (const [instance, app] of both) {
      for (const [method, path, json] of attempts) {
        const res = await call(app, pc.who, method, path, json);
        expect({ instance, method, path, status: res.status, code: await errorCode(res) }).toEqual({
          instance,
          method,
          path,
          status: 403,
          code: "not_an_approver",
        });
      }
    }

    // Nothing happened: no new session from it, nothing answered, nothing signed out.
    expect(await fresh.state()).toBe("pending");
    expect(await scanned.state()).toBe("scanned");
    await fresh.desktop.claim(fresh.ticketId);
    expect(fresh.desktop.hasSessionCookie()).toBe(false);
    expect(await listOf(b, phone.who)).toEqual(listBefore);
    for (const [, app] of both) expect((await sessionUser(app, pc.who))?.id).toBe("demo-dave");
    // The phone still can.
    expect((await call(a, phone.who, "POST", `/api/qr/${scanned.ticketId}/confirm`)).status).toBe(
      200,
    );
  });

  it("a: shows a computer the /m pages as 'open this on your phone', never the device list", async () => {
    const phone = await nativeApp(a, "dave");
    const pc = await computer(b, phone, a);
    for (const [, app] of both) {
      const res = await call(app, pc.who, "GET", "/m/sessions");
      const location = res.headers.get("location");
      const page = location
        ? await call(app, pc.who, "GET", new URL(location, app.url).pathname)
        : res;
      const text = (await page.text()).replace(/<[^>]+>/g, " ");
      expect(text).toContain("Open this on your phone");
      expect(text).not.toContain(phone.id);
    }
  });

  it("b: a computer signed out on A is signed out on B from the 204 on, and never accepted again", async () => {
    const phone = await nativeApp(a, "erin");
    const pc = await computer(b, phone, a);
    // B has just found the session live (its cache would trust it for a few seconds).
    for (const [, app] of both) expect((await sessionUser(app, pc.who))?.id).toBe("demo-erin");
    const target = await loginPage(b);

    expect((await call(a, phone.who, "DELETE", `/api/sessions/${pc.id}`)).status).toBe(204);
    const until = performance.now() + 1500;
    let checks = 0;
    while (performance.now() < until) {
      const scan = await call(b, pc.who, "POST", `/api/qr/${target.ticketId}/scan`);
      expect(scan.status).toBe(401);
      expect(await sessionUser(b, pc.who)).toBeUndefined();
      expect(await sessionUser(a, pc.who)).toBeUndefined();
      checks++;
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(checks).toBeGreaterThan(5);
    expect(await target.state()).toBe("pending");
    // The phone's /m/sessions page (on B) lists it no more either.
    expect((await listOf(b, phone.who)).map((s) => s.id)).not.toContain(pc.id);
  });

  it("c: lists a phone browser and a native app, and each signs the other out on both instances", async () => {
    const browser = await phoneBrowser(a, "frank");
    const app = await nativeApp(b, "frank");
    for (const [asker, instance, who] of [
      [browser, a, browser.who],
      [app, b, app.who],
      [browser, b, browser.who],
      [app, a, app.who],
    ] as const) {
      const list = await listOf(instance, who);
      expect(list).toHaveLength(2);
      expect(list.find((s) => s.id === browser.id)).toMatchObject({
        kind: "phone",
        method: "password",
        current: asker === browser,
        device: { browser: "Chrome 131", os: "Android 14", ip: "127.0.0.1" },
      });
      expect(list.find((s) => s.id === app.id)).toMatchObject({
        kind: "phone",
        method: "app",
        current: asker === app,
      });
      expect(list.filter((s) => s.current)).toHaveLength(1);
    }

    // The phone browser's own page shows the same list, this device marked, on either instance.
    for (const [instance, server] of both) {
      const res = await call(server, browser.who, "GET", "/m/sessions");
      expect({ instance, status: res.status }).toEqual({ instance, status: 200 });
      // The page's text, without its scripts (they carry the interface's messages).
      const text = (await res.text())
        .replace(/<script[\s\S]*?<\/script>/g, " ")
        .replace(/<[^>]+>/g, " ")
        .replace(/\s+/g, " ");
      expect(text.match(/This device/g)).toHaveLength(1);
      expect(text).toContain("Phone, signed in with password");
      expect(text).toContain("Phone app");
    }

    // The browser signs the app out (through A): the token is refused at its next request, everywhere.
    expect((await call(a, browser.who, "DELETE", `/api/sessions/${app.id}`)).status).toBe(204);
    for (const [instance, server] of both) {
      const res = await approverProbe(server, app.who);
      expect({ instance, status: res.status, code: await errorCode(res) }).toEqual({
        instance,
        status: 401,
        code: "unauthorized",
      });
    }
    expect((await listOf(b, browser.who)).map((s) => s.id)).toEqual([browser.id]);

    // A new app signs the browser out (through B): the cookie is refused at its next request, everywhere.
    const second = await nativeApp(b, "frank");
    expect((await call(b, second.who, "DELETE", `/api/sessions/${browser.id}`)).status).toBe(204);
    for (const [instance, server] of both) {
      const res = await approverProbe(server, browser.who);
      expect({ instance, status: res.status, code: await errorCode(res) }).toEqual({
        instance,
        status: 401,
        code: "unauthorized",
      });
      expect(await sessionUser(server, browser.who as { cookie: string })).toBeUndefined();
    }
    expect((await listOf(a, second.who)).map((s) => s.id)).toEqual([second.id]);
  });

  it("d: a computer expires no later than its phone and SESSION_MAX_AGE_S; signing the phone out signs its computers out", async () => {
    const browser = await phoneBrowser(a, "grace");
    const app = await nativeApp(b, "grace");
    // The browser's session ends MAX_AGE_S after its sign-in; the app's token lives longer.
    await new Promise((r) => setTimeout(r, 50));
    const byBrowser = await computer(a, browser);
    const byApp = await computer(b, app);
    const byAppOnA = await computer(a, app, b);

    const list = await listOf(a, browser.who);
    const get = (id: string) => {
      const s = list.find((x) => x.id === id);
      expect(s).toBeDefined();
      return s as SessionInfo;
    };
    const ms = (iso: string) => Date.parse(iso);
    for (const pc of [byBrowser, byApp, byAppOnA]) {
      const s = get(pc.id);
      expect(s).toMatchObject({ kind: "computer", method: "qr", current: false });
      const phone = get(s.approvedBy ?? "");
      expect(phone.kind).toBe("phone");
      expect(ms(s.expiresAt)).toBeLessThanOrEqual(ms(phone.expiresAt));
      expect(ms(s.expiresAt)).toBeLessThanOrEqual(ms(s.createdAt) + MAX_AGE_S * 1000);
      // Exactly the earlier of the two: nothing shortens a session needlessly either.
      expect(ms(s.expiresAt)).toBe(
        Math.min(ms(phone.expiresAt), ms(s.createdAt) + MAX_AGE_S * 1000),
      );
    }
    expect(get(byBrowser.id).approvedBy).toBe(browser.id);
    expect(get(byApp.id).approvedBy).toBe(app.id);
    // Each bound is the one that applies: the browser's own end, and the max age for the app's.
    expect(ms(get(byBrowser.id).expiresAt)).toBe(ms(get(browser.id).expiresAt));
    expect(ms(get(byBrowser.id).expiresAt)).toBeLessThan(
      ms(get(byBrowser.id).createdAt) + MAX_AGE_S * 1000,
    );
    expect(ms(get(byApp.id).expiresAt)).toBe(ms(get(byApp.id).createdAt) + MAX_AGE_S * 1000);
    expect(ms(get(byApp.id).expiresAt)).toBeLessThan(ms(get(app.id).expiresAt));

    // Sign the app out from the browser: its two computers go with it, on both instances.
    for (const [, server] of both) {
      for (const pc of [byApp, byAppOnA, byBrowser]) {
        expect((await sessionUser(server, pc.who))?.id).toBe("demo-grace");
      }
    }
    expect((await call(b, browser.who, "DELETE", `/api/sessions/${app.id}`)).status).toBe(204);
    for (const [instance, server] of both) {
      for (const pc of [byApp, byAppOnA]) {
        expect({ instance, user: await sessionUser(server, pc.who) }).toEqual({
          instance,
          user: undefined,
        });
      }
      expect((await sessionUser(server, byBrowser.who))?.id).toBe("demo-grace");
    }
    const after = (await listOf(a, browser.who)).map((s) => s.id).sort();
    expect(after).toEqual([browser.id, byBrowser.id].sort());

    // A phone signing itself out (the app's own sign-out) takes its computers too.
    const second = await nativeApp(a, "grace");
    const bySecond = await computer(b, second, a);
    expect((await call(b, second.who, "DELETE", "/api/mobile/sessions/current")).status).toBe(204);
    for (const [, server] of both) expect(await sessionUser(server, bySecond.who)).toBeUndefined();
    expect((await listOf(b, browser.who)).map((s) => s.id)).not.toContain(bySecond.id);
  });

  it("e: a sign-out on A is refused on B within 1 s (polled every 20 ms)", async () => {
    const keeper = await nativeApp(a, "heidi");
    const browser = await phoneBrowser(b, "heidi");
    const app = await nativeApp(b, "heidi");
    const pc = await computer(b, keeper, a);
    const cases: Array<[string, string, () => Promise<boolean>]> = [
      ["computer cookie", pc.id, async () => (await sessionUser(b, pc.who)) === undefined],
      [
        "phone-browser cookie",
        browser.id,
        async () => (await approverProbe(b, browser.who)).status === 401,
      ],
      ["native-app token", app.id, async () => (await approverProbe(b, app.who)).status === 401],
    ];
    for (const [name, id, refused] of cases) {
      // B has found it live a moment ago.
      expect({ name, refused: await refused() }).toEqual({ name, refused: false });
      expect((await call(a, keeper.who, "DELETE", `/api/sessions/${id}`)).status).toBe(204);
      const ms = await untilRefused(refused, 1000);
      expect(ms).toBeLessThan(1000);
    }
  });

  it("g: DELETE /api/sessions signs out every other device and says how many; the asking phone stays", async () => {
    const me = await phoneBrowser(a, "ivan");
    const other1 = await nativeApp(b, "ivan");
    const other2 = await phoneBrowser(b, "ivan");
    const pcs = [
      await computer(a, me),
      await computer(b, other1),
      await computer(a, other2, b),
      await computer(b, other1, a),
    ];
    expect(await listOf(a, me.who)).toHaveLength(7);

    const res = await call(a, me.who, "DELETE", "/api/sessions");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ signedOut: 6 });

    expect(await listOf(b, me.who)).toEqual([
      expect.objectContaining({ id: me.id, kind: "phone", current: true }),
    ]);
    for (const [instance, server] of both) {
      expect((await sessionUser(server, me.who as { cookie: string }))?.id).toBe("demo-ivan");
      for (const pc of pcs) {
        expect({ instance, user: await sessionUser(server, pc.who) }).toEqual({
          instance,
          user: undefined,
        });
      }
      for (const phone of [other1, other2]) {
        expect({ instance, status: (await approverProbe(server, phone.who)).status }).toEqual({
          instance,
          status: 401,
        });
      }
    }
    // Nothing left to sign out.
    expect(await (await call(b, me.who, "DELETE", "/api/sessions")).json()).toEqual({
      signedOut: 0,
    });
  });
});

describe("session registry: a signed-out session stays signed out while Redis is down", () => {
  const stack = useStack({ instances: 2, env: ENV });
  let a: AppServer;
  let b: AppServer;

  beforeAll(() => {
    a = stack.app;
    b = stack.apps[1] as AppServer;
  });

  it("f: refuses the signed-out cookie and token on both instances; a signed-in phone gets 503 on approver routes", async () => {
    const keeper = await phoneBrowser(a, "judy");
    const app = await nativeApp(b, "judy");
    const byApp = await computer(b, app, a);
    const browser = await phoneBrowser(b, "judy");
    const pending = await loginPage(a);
    const both: Array<[string, AppServer]> = [
      ["A", a],
      ["B", b],
    ];
    // Both instances have found every session live.
    for (const [, server] of both) {
      expect((await sessionUser(server, byApp.who))?.id).toBe("demo-judy");
      expect((await sessionUser(server, browser.who as { cookie: string }))?.id).toBe("demo-judy");
      expect((await approverProbe(server, app.who)).status).toBe(200);
      expect((await approverProbe(server, keeper.who)).status).toBe(200);
    }

    // The app (with its computer) and the phone browser are signed out through A; B hears of it.
    for (const id of [app.id, browser.id]) {
      expect((await call(a, keeper.who, "DELETE", `/api/sessions/${id}`)).status).toBe(204);
    }
    await untilRefused(async () => (await sessionUser(b, byApp.who)) === undefined);
    await stack.redis.stop();

    for (const [instance, server] of both) {
      const at = (what: string) => ({ instance, what });
      // The computer's and the phone browser's cookies: signed out, and no approver.
      for (const [what, who] of [
        ["computer", byApp.who],
        ["phone browser", browser.who as { cookie: string }],
      ] as const) {
        expect({ ...at(what), user: await sessionUser(server, who) }).toEqual({
          ...at(what),
          user: undefined,
        });
        const scan = await call(server, who, "POST", `/api/qr/${pending.ticketId}/scan`);
        expect({ ...at(what), status: scan.status }).toEqual({ ...at(what), status: 401 });
      }
      // The token needs the store to be read at all: refused either way, never accepted.
      const token = await approverProbe(server, app.who);
      expect({ ...at("token"), refused: [401, 503].includes(token.status) }).toEqual({
        ...at("token"),
        refused: true,
      });

      // The phone still signed in: its session stands, but approving needs the store.
      expect((await sessionUser(server, keeper.who as { cookie: string }))?.id).toBe("demo-judy");
      for (const [method, path, json] of [
        ["GET", "/api/sessions"],
        ["POST", scanPathOf(pending.scanUrl)],
        ["POST", "/api/qr/lookup", { userCode: pending.userCode }],
        ["DELETE", `/api/sessions/${byApp.id}`],
      ] as const) {
        const started = performance.now();
        const res = await call(server, keeper.who, method, path, json);
        expect({
          ...at(`${method} ${path}`),
          status: res.status,
          code: await errorCode(res),
        }).toEqual({ ...at(`${method} ${path}`), status: 503, code: "store_unavailable" });
        expect(res.headers.get("retry-after")).not.toBeNull();
        expect(performance.now() - started).toBeLessThan(4000);
      }
    }
  });
});

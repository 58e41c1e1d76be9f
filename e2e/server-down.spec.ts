import { type OwnAppServer, startApp } from "../tests/support/app-server";
import { type RedisServer, startRedis } from "../tests/support/redis-server";
import { expect, test } from "./fixtures";
import { LoginPage, PhoneApp } from "./pages";

/**
 * Issue 20.5: a dead server is not the person's connection. With the browser
 * online and no answer coming back, both devices say the sign-in service is
 * not answering and that they keep trying; only a browser that is offline is
 * told to check its connection.
 */

const NOT_ANSWERING = "The sign-in service is not answering; we keep trying.";

test("the app server stops mid-way: both devices say the service is not answering, and carry on when it is back", async ({
  browser,
}) => {
  test.setTimeout(120_000);
  let redis: RedisServer | undefined;
  let app: OwnAppServer | undefined;
  try {
    redis = await startRedis();
    app = await startApp({ REDIS_URL: redis.url, QRL_POLL_INTERVAL_MS: "400" });
    const desktop = await LoginPage.open(browser, app.url);
    const phone = await PhoneApp.open(browser, app.url);
    await desktop.goto();
    await phone.signIn("alice", "wonderland");
    await phone.openScan(await desktop.readQr());
    await expect(phone.confirmHeading).toBeVisible();
    await expect(desktop.status).toHaveText("Scanned by Alice Liddell — confirm on your phone");

    // The server goes away; both browsers stay online.
    const port = app.port;
    await app.stop();
    const desktopProblem = desktop.page.getByRole("main").getByRole("alert");
    await expect(desktopProblem).toHaveText(NOT_ANSWERING, { timeout: 20_000 });
    await expect(phone.page.getByRole("status").filter({ hasText: "not answering" })).toHaveText(
      NOT_ANSWERING,
      { timeout: 20_000 },
    );
    for (const page of [desktop.page, phone.page]) {
      await expect(page.getByText(/internet connection|offline/i)).toHaveCount(0);
    }
    // The code stays on the computer: nothing to do there but wait.
    await expect(desktop.status).toHaveText("Scanned by Alice Liddell — confirm on your phone");

    // Back on the same address (the tickets and sessions are in Redis): both carry on by themselves.
    app = await startApp({ REDIS_URL: redis.url, QRL_POLL_INTERVAL_MS: "400" }, { port });
    await expect(desktopProblem).toHaveCount(0, { timeout: 20_000 });
    await expect(phone.page.getByText(NOT_ANSWERING)).toHaveCount(0, { timeout: 20_000 });
    await phone.approve();
    await desktop.signedInAs("Alice Liddell");
    await desktop.close();
    await phone.close();
  } finally {
    await app?.stop();
    await redis?.stop();
  }
});

test("online with no answer, the desktop blames the service; offline, the connection", async ({
  desktop,
}) => {
  const problem = desktop.page.getByRole("main").getByRole("alert");
  // Online, and the status reads get no answer at all (connection refused), from the first one.
  const status = /\/api\/qr\/[A-Za-z0-9_-]{24}(\?.*)?$/;
  await desktop.page.route(status, (route) => route.abort("connectionrefused"));
  await desktop.page.goto("/login");
  await expect(problem).toHaveText(NOT_ANSWERING, { timeout: 20_000 });
  await expect(desktop.page.getByText(/internet connection/)).toHaveCount(0);
  // The code on screen still works: it stays.
  await expect(desktop.qr).toBeVisible();

  await desktop.page.context().setOffline(true);
  await expect(problem).toHaveText(
    "You're offline. This page carries on by itself when your connection is back.",
  );

  await desktop.page.context().setOffline(false);
  await desktop.page.unroute(status);
  await expect(problem).toHaveCount(0, { timeout: 20_000 });
  await expect(desktop.status).toHaveText("Scan with your phone's camera");
});

test("no code could be had while online: the service is not answering, and Try again gets one", async ({
  browser,
  app,
}) => {
  const desktop = await LoginPage.open(browser, app.url);
  try {
    await desktop.page.route("**/api/qr", (route) => route.abort("connectionrefused"));
    await desktop.page.goto("/login");
    await expect(desktop.status).toHaveText(
      "The sign-in service is not answering. Try again in a moment.",
    );
    await desktop.page.unroute("**/api/qr");
    await desktop.page.getByRole("button", { name: "Try again" }).click();
    await expect(desktop.status).toHaveText("Scan with your phone's camera");
  } finally {
    await desktop.close();
  }
});

test("a claim during a Redis outage: the computer says it keeps trying, and signs in once Redis is back", async ({
  browser,
}) => {
  test.setTimeout(120_000);
  let redis: RedisServer | undefined;
  let app: OwnAppServer | undefined;
  try {
    // Every write on disk: the approved ticket is still there when Redis comes back.
    redis = await startRedis(undefined, ["--appendonly", "yes", "--appendfsync", "always"]);
    app = await startApp({ REDIS_URL: redis.url });
    const desktop = await LoginPage.open(browser, app.url);
    const phone = await PhoneApp.open(browser, app.url);
    await desktop.goto();
    await phone.signIn("alice", "wonderland");
    await phone.openScan(await desktop.readQr());

    // The page's first claim is held on its way until Redis has gone down (then sent as it was).
    let claimSeen = () => {};
    const claimSent = new Promise<void>((resolve) => {
      claimSeen = resolve;
    });
    let redisDown = () => {};
    const stopped = new Promise<void>((resolve) => {
      redisDown = resolve;
    });
    let first = true;
    await desktop.page.route("**/api/auth/callback/qr", async (route) => {
      if (first) {
        first = false;
        claimSeen();
        await stopped;
      }
      await route.continue();
    });
    await phone.approve();
    await desktop.continueAs("Alice Liddell");
    await claimSent;
    await redis.stop();
    redisDown();

    // A 503 with Retry-After, not a refusal: the page says so and keeps the approval.
    await expect(desktop.status).toHaveText("Connection problem — still trying to sign you in…", {
      timeout: 20_000,
    });
    await expect(desktop.page.getByText(/get a new code and scan it again/)).toHaveCount(0);
    await redis.start();
    await desktop.expectSignedIn("Alice Liddell");
    await desktop.close();
    await phone.close();
  } finally {
    await app?.stop();
    await redis?.stop();
  }
});

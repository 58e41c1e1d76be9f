import { type AppServer, startApp } from "../tests/support/app-server";
import { type RedisServer, startRedis } from "../tests/support/redis-server";
import { expect, test } from "./fixtures";
import { LoginPage, PhoneApp } from "./pages";

/**
 * Two app instances sharing one Redis, as behind a load balancer: the
 * desktop's page and long-poll are on instance A, the phone approves through
 * instance B, and A's waiting desktop is woken through Redis pub/sub.
 */
let redis: RedisServer;
let a: AppServer;
let b: AppServer;

test.beforeAll(async () => {
  redis = await startRedis();
  [a, b] = await Promise.all([
    startApp({ REDIS_URL: redis.url }),
    startApp({ REDIS_URL: redis.url }),
  ]);
});
test.afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  await redis?.stop();
});

test("the phone approves through instance B; the desktop waiting on instance A is signed in", async ({
  browser,
}) => {
  const desktop = await LoginPage.open(browser, a.url);
  const phone = await PhoneApp.open(browser, b.url);
  try {
    await desktop.goto();
    const scanUrl = await desktop.readQr();
    await phone.signIn("bob", "builder");
    await phone.openScan(scanUrl);
    await expect(phone.confirmHeading).toBeVisible();
    await expect(desktop.status).toHaveText("Scanned by Bob Martin — confirm on your phone");
    await phone.approve();
    await desktop.signedInAs("Bob Martin");
  } finally {
    await desktop.close();
    await phone.close();
  }
});

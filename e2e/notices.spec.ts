import { randomBytes } from "node:crypto";
import { Webhook } from "standardwebhooks";
import { webhookPayload } from "../lib/webhooks/events";
import { TEST_USERS } from "../tests/support/app-server";
import { startReceiver } from "../tests/support/webhook-receiver";
import { type App, test as base, expect, ownApp } from "./fixtures";
import { LoginPage, PhoneApp } from "./pages";

const SECRET = `whsec_${randomBytes(32).toString("base64")}`;
type Receiver = Awaited<ReturnType<typeof startReceiver>>;

/**
 * This file's own app and user, so no other spec's sign-ins show up as
 * notices, and an integrator's webhook receiver on 127.0.0.1.
 */
const test = base.extend<object, { app: App; receiver: Receiver }>({
  receiver: [
    // biome-ignore lint/correctness/noEmptyPattern: Playwright fixtures must destructure
    async ({}, use) => {
      const receiver = await startReceiver();
      await use(receiver);
      await receiver.close();
    },
    { scope: "worker" },
  ],
  app: [
    async ({ receiver }, use) => {
      const app = await ownApp({
        QRL_DEMO_USERS: `${TEST_USERS},nico:notice-nico:Notice Nico`,
        QRL_POLL_INTERVAL_MS: "400",
        WEBHOOK_URL: receiver.url,
        WEBHOOK_SECRET: SECRET,
      });
      await use({ url: app.url });
      await app.stop();
    },
    { scope: "worker" },
  ],
});

const CHROME_ON_WINDOWS =
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
const DEVICE = "Chrome 131 on Windows";

test("a second phone sees the new sign-in and signs the computer out from it; the integrator gets a signed login.completed", async ({
  app,
  browser,
  newPhone,
  receiver,
}) => {
  // Three browsers and a full login on a shared 2-core machine.
  test.setTimeout(60_000);
  const desktop = await LoginPage.open(browser, app.url, { userAgent: CHROME_ON_WINDOWS });
  try {
    await desktop.goto();
    const approver = await newPhone();
    const other = await newPhone();
    await approver.signIn("nico", "notice-nico");
    await other.signIn("nico", "notice-nico");
    await approver.openScan(await desktop.readQr());
    await approver.approve();
    await desktop.signedInAs("Notice Nico");

    // The integrator's receiver gets login.completed, and its signature verifies with the secret.
    const delivery = await receiver.waitFor((r) => r.body.includes('"login.completed"'));
    const event = webhookPayload.parse(
      new Webhook(SECRET).verify(delivery.body, delivery.headers as Record<string, string>),
    );
    expect(event).toMatchObject({
      type: "login.completed",
      data: { userId: "demo-nico", device: { browser: "Chrome 131", os: "Windows" } },
    });

    // The other phone is told (it looks every 10 s while open; a reload shows it at once).
    await other.page.goto("/m");
    const notices = other.page.getByRole("list", { name: "New sign-ins on computers" });
    const notice = notices.getByRole("listitem");
    await expect(notice).toHaveCount(1);
    await expect(notice).toContainText(
      new RegExp(`^New sign-in: ${DEVICE}, .+\\. IP address 127\\.0\\.0\\.1\\.`),
    );
    await expect(notice).toContainText("Was this you?");
    // The phone that approved it is told too: the server cannot tell it from a copy of its
    // session (issue 21, item 5), so its owner sees every sign-in it approved.
    await approver.page.goto("/m");
    await expect(
      approver.page.getByRole("heading", { name: "Scan a QR code with your camera" }),
    ).toBeVisible();
    await expect(
      approver.page.getByRole("list", { name: "New sign-ins on computers" }).getByRole("listitem"),
    ).toHaveCount(1);

    await notice.getByRole("button", { name: `Sign out ${DEVICE}` }).click();
    await expect(other.page.getByRole("status")).toHaveText(
      `${DEVICE} is signed out. If you did not start that sign-in, change your password.`,
    );
    await expect(notices.getByRole("listitem")).toHaveCount(0);

    // The computer's next request is signed out.
    await desktop.page.goto("/");
    await expect(desktop.page.getByText("You are not signed in.")).toBeVisible();
  } finally {
    await desktop.close();
  }
});

test("in Chinese, a notice can be dismissed as “that was me”", async ({
  app,
  browser,
  newPhone,
}) => {
  test.setTimeout(60_000);
  const desktop = await LoginPage.open(browser, app.url, { userAgent: CHROME_ON_WINDOWS });
  const other = await PhoneApp.open(browser, app.url, { locale: "zh-CN" });
  try {
    await desktop.goto();
    const approver = await newPhone();
    await approver.signIn("nico", "notice-nico");
    await other.signIn("nico", "notice-nico");
    await approver.openScan(await desktop.readQr());
    await approver.approve();
    await desktop.signedInAs("Notice Nico");

    await other.page.goto("/m");
    const notice = other.page.getByRole("list", { name: "电脑上的新登录" }).getByRole("listitem");
    await expect(notice).toHaveCount(1);
    await expect(notice).toContainText("新的登录：Windows 上的 Chrome 131");
    await notice.getByRole("button", { name: "Windows 上的 Chrome 131 是我本人" }).click();
    await expect(other.page.getByRole("status")).toHaveText(
      "已确认：Windows 上的 Chrome 131 是你本人。",
    );
    // Dismissed, not signed out: the computer stays signed in.
    await desktop.page.goto("/");
    await expect(desktop.page.getByText("Signed in as Notice Nico")).toBeVisible();
  } finally {
    await other.close();
    await desktop.close();
  }
});

import { startApp } from "../tests/support/app-server";
import { violations } from "./axe";
import { type App, test as base, expect } from "./fixtures";
import type { PhoneApp } from "./pages";

/** This file's own app: an approved request waits 4 s for its computer; codes are "old" after 3 s. */
const test = base.extend<object, { app: App }>({
  app: [
    // biome-ignore lint/correctness/noEmptyPattern: Playwright fixtures must destructure
    async ({}, use) => {
      const app = await startApp({
        QRL_STORE: "memory",
        QRL_CONFIRMED_TTL_S: "4",
        QRL_OLD_CODE_S: "3",
      });
      await use({ url: app.url });
      await app.stop();
    },
    { scope: "worker" },
  ],
});

async function signedInPhone(newPhone: () => Promise<PhoneApp>) {
  const phone = await newPhone();
  await phone.signIn("alice", "wonderland");
  return phone;
}

test("the phone says signed in only after the computer's claim", async ({ desktop, newPhone }) => {
  // Hold the desktop's claim until the phone has said it is waiting.
  let release = () => {};
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  await desktop.page.route("**/api/auth/callback/qr", async (route) => {
    await held;
    await route.continue();
  });
  const phone = await signedInPhone(newPhone);
  await phone.openScan(await desktop.readQr());
  await phone.page.getByRole("button", { name: "Approve" }).click();
  const waiting = phone.page.getByRole("heading", {
    name: "Approved — waiting for the computer…",
  });
  await expect(waiting).toBeVisible();
  await expect(waiting).toBeFocused();
  // Alice never signed in on this browser: the phone says the computer asks first.
  await expect(
    phone.page.getByText(/the computer asks its user whether to continue as you/),
  ).toBeVisible();
  expect(await violations(phone.page)).toEqual([]);
  release();
  await desktop.continueAs("Alice Liddell");
  await expect(phone.signedInHeading).toBeVisible();
  expect(await violations(phone.page)).toEqual([]);
  await desktop.page.waitForURL(`${desktop.base}/`);
  await expect(phone.page.getByRole("link", { name: "Scan another code" })).toBeVisible();
  await expect(phone.page.getByRole("link", { name: "Review your devices" })).toBeVisible();
});

test("the desktop tab closed before Approve: the computer did not finish signing in", async ({
  desktop,
  newPhone,
}) => {
  const phone = await signedInPhone(newPhone);
  await phone.openScan(await desktop.readQr());
  await expect(phone.confirmHeading).toBeVisible();
  await desktop.page.close();
  await phone.page.getByRole("button", { name: "Approve" }).click();
  await expect(
    phone.page.getByRole("heading", { name: "Approved — waiting for the computer…" }),
  ).toBeVisible();
  await expect(
    phone.page.getByRole("heading", { name: "The computer did not finish signing in" }),
  ).toBeVisible();
  expect(await violations(phone.page)).toEqual([]);
  await expect(phone.page.getByRole("link", { name: "Scan another code" })).toBeVisible();
});

test("cancel on the desktop turns the confirm screen final without a tap", async ({
  desktop,
  newPhone,
}) => {
  const phone = await signedInPhone(newPhone);
  await phone.openScan(await desktop.readQr());
  await expect(phone.confirmHeading).toBeVisible();
  await desktop.page.getByRole("button", { name: "Cancel" }).click();
  const cancelled = phone.page.getByRole("heading", { name: "This sign-in was cancelled" });
  await expect(cancelled).toBeVisible();
  await expect(cancelled).toBeFocused();
  // It names what the computer shows now: the button "Get a new code".
  await expect(
    phone.page.getByText(/click “Get a new code” on the computer's login page/),
  ).toBeVisible();
  await expect(desktop.page.getByRole("button", { name: "Get a new code" })).toBeVisible();
  await expect(phone.page.getByRole("button", { name: "Approve" })).toHaveCount(0);
  await expect(phone.page.getByRole("button", { name: "Deny" })).toHaveCount(0);
  expect(await violations(phone.page)).toEqual([]);
  await phone.page.getByRole("link", { name: "Scan another code" }).click();
  await expect(phone.page.getByRole("button", { name: "Scan a QR code" })).toBeVisible();
});

test("deny: declined, with the way to the security history", async ({ desktop, newPhone }) => {
  const phone = await signedInPhone(newPhone);
  await phone.openScan(await desktop.readQr());
  await phone.deny();
  await expect(phone.page.getByRole("heading", { name: "Login declined" })).toBeFocused();
  await phone.page.getByRole("link", { name: "Open your security history" }).click();
  await expect(
    phone.page.getByRole("heading", { name: "Security history", level: 1 }),
  ).toBeVisible();
});

test("the old-code warning counts from when the phone opened the code, not from its sign-in", async ({
  desktop,
  newPhone,
}) => {
  const created = Date.now();
  const scanUrl = await desktop.readQr();
  const phone = await newPhone();
  await phone.openScan(scanUrl);
  await expect(phone.page.getByRole("heading", { name: "Sign in to continue" })).toBeVisible();
  // The person takes longer than QRL_OLD_CODE_S to sign in; the code was fresh when they opened it.
  await expect.poll(() => Date.now() - created, { timeout: 10_000 }).toBeGreaterThan(3_500);
  await phone.fillSignIn("alice", "wonderland");
  await expect(phone.confirmHeading).toBeVisible();
  await expect(phone.page.getByRole("main").getByRole("alert")).toHaveCount(0);
  await expect(phone.page.locator(".answer-buttons .btn").first()).toHaveText("Approve");

  // A code first opened after QRL_OLD_CODE_S is warned of, in danger style, with Deny first.
  await phone.deny();
  await desktop.page.getByRole("button", { name: "Get a new code" }).click();
  await expect(desktop.status).toHaveText("Scan with your phone's camera");
  const late = await desktop.readQr();
  const madeAt = Date.now();
  await expect.poll(() => Date.now() - madeAt, { timeout: 10_000 }).toBeGreaterThan(3_500);
  await phone.openScan(late);
  const warning = phone.page.getByRole("main").getByRole("alert");
  await expect(warning).toContainText("more than a minute before you opened it");
  await expect(warning).toHaveClass(/danger-box/);
  const buttons = phone.page.locator(".answer-buttons .btn");
  await expect(buttons.first()).toHaveText("Deny");
  await expect(buttons.first()).toHaveClass(/btn-danger/);
  await expect(buttons.last()).toHaveClass(/btn-secondary/);
  expect(await violations(phone.page)).toEqual([]);
});

import type { Page } from "@playwright/test";
import { startApp } from "../tests/support/app-server";
import { startRedis } from "../tests/support/redis-server";
import { type App, test as base, expect } from "./fixtures";
import { PhoneApp } from "./pages";

/** This file's own app, with sign-up open (production's default is closed). */
const test = base.extend<object, { app: App }>({
  app: [
    // biome-ignore lint/correctness/noEmptyPattern: Playwright fixtures must destructure
    async ({}, use) => {
      const redis = await startRedis();
      const app = await startApp({
        REDIS_URL: redis.url,
        SIGNUP: "open",
        QRL_POLL_INTERVAL_MS: "400",
      });
      await use({ url: app.url });
      await app.stop();
      await redis.stop();
    },
    { scope: "worker" },
  ],
});

/** Fills and sends the sign-up form on the page that shows it. */
async function signUp(page: Page, username: string, name: string, password: string) {
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Your name (optional)").fill(name);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Create account" }).click();
}

test("an account's life: sign up on the phone, approve a computer, change the password (the other phone is signed out), delete the account", async ({
  desktop,
  newPhone,
}) => {
  const phone = await newPhone();
  await phone.page.goto("/m");
  await phone.page.getByRole("link", { name: "New here? Create an account" }).click();
  await expect(phone.page.getByRole("heading", { name: "Create an account" })).toBeVisible();
  await signUp(phone.page, "Rosa", "Rosa Rot", "rosa-pass-1");
  await expect(phone.page.getByRole("heading", { name: phone.words.home.title })).toBeVisible();
  await expect(phone.page.getByText("Signed in as Rosa Rot")).toBeVisible();

  // A second phone signs in with the new account.
  const other = await newPhone();
  await other.signIn("rosa", "rosa-pass-1");

  // The new account approves a QR login on a computer.
  await phone.openScan(await desktop.readQr());
  await expect(phone.confirmHeading).toBeVisible();
  await phone.approve();
  await desktop.signedInAs("Rosa Rot");

  // Change the password on the first phone: the other phone and the computer are signed out.
  await phone.page.goto("/m");
  await phone.page.getByRole("link", { name: "Your account: name, password, delete" }).click();
  await expect(
    phone.page.getByRole("heading", { name: "Your account", exact: true }),
  ).toBeVisible();
  await phone.page.getByLabel("Current password").fill("not-my-password");
  await phone.page.getByLabel("New password (at least 8 characters)").fill("rosa-pass-2");
  await phone.page.getByRole("button", { name: "Change password" }).click();
  await expect(phone.page.getByRole("main").getByRole("alert")).toHaveText(
    "That is not your current password. Check it and try again.",
  );
  await phone.page.getByLabel("Current password").fill("rosa-pass-1");
  await phone.page.getByLabel("New password (at least 8 characters)").fill("rosa-pass-2");
  await phone.page.getByRole("button", { name: "Change password" }).click();
  await expect(phone.page.getByRole("main").getByRole("status")).toHaveText(
    "Password changed. 2 other sessions were signed out.",
  );
  await other.page.reload();
  await expect(other.page.getByRole("heading", { name: "Sign in on your phone" })).toBeVisible();
  await desktop.page.reload();
  await expect(desktop.page.getByRole("link", { name: "Sign in with your phone" })).toBeVisible();
  // The old password no longer signs in; the new one does.
  await other.fillSignIn("rosa", "rosa-pass-1");
  await expect(other.page.getByRole("main").getByRole("alert")).toHaveText(
    "Wrong username or password. Check them and try again.",
  );
  await other.signIn("rosa", "rosa-pass-2");

  // Delete the account: it says what it deletes, asks for the password, signs everything out.
  await expect(
    phone.page.getByText(
      "This deletes your account, its passkeys and its history. It cannot be undone.",
    ),
  ).toBeVisible();
  await phone.page.getByLabel("Your password").fill("rosa-pass-2");
  await phone.page.getByRole("button", { name: "Delete my account" }).click();
  await expect(phone.page.getByRole("main").getByRole("status")).toHaveText(
    "Your account was deleted, with its passkeys and its history. Every device it was signed in on is signed out.",
  );
  await expect(phone.page.getByRole("heading", { name: "Sign in on your phone" })).toBeVisible();
  await other.page.reload();
  await expect(other.page.getByRole("heading", { name: "Sign in on your phone" })).toBeVisible();
  await phone.fillSignIn("rosa", "rosa-pass-2");
  await expect(phone.page.getByRole("main").getByRole("alert")).toHaveText(
    "Wrong username or password. Check them and try again.",
  );
});

test("without JavaScript: sign up on the phone, then change the display name", async ({
  browser,
  app,
}) => {
  const phone = await PhoneApp.open(browser, app.url, { javaScriptEnabled: false });
  const posts: string[] = [];
  phone.page.on("request", (r) => {
    if (r.method() === "POST") posts.push(new URL(r.url()).pathname);
  });
  await phone.page.goto("/m/signup");
  // A name someone has: said next to the form, what was typed kept.
  await signUp(phone.page, "alice", "Not Alice", "some-pass-1");
  await expect(phone.page.getByRole("main").getByRole("alert")).toHaveText(
    "That username is taken — choose another.",
  );
  await expect(phone.page.getByLabel("Username")).toHaveValue("alice");
  await signUp(phone.page, "sven", "Sven", "sven-pass-1");
  await expect(phone.page.getByText("Signed in as Sven")).toBeVisible();

  await phone.page.goto("/m/account");
  await phone.page.getByLabel("Name shown to you and on computers you sign in to").fill("Sven S");
  await phone.page.getByRole("button", { name: "Save name" }).click();
  await expect(phone.page.getByRole("main").getByRole("status")).toHaveText(
    "Saved. Your name is now “Sven S”, on every computer waiting for you too.",
  );
  await phone.page.goto("/m");
  await expect(phone.page.getByText("Signed in as Sven S")).toBeVisible();
  expect(posts).toEqual(["/signup/create", "/signup/create", "/m/account"]);
  await phone.close();
});

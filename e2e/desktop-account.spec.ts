import { expect, testWithOwnApp } from "./fixtures";

/** This file's own app, with sign-up open (the account is made, then deleted). */
const test = testWithOwnApp({ SIGNUP: "open" }).extend({
  baseURL: async ({ app }, use) => use(app.url),
});

test.describe("the account on the desktop, without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("sign in with the password form, rename, change the password, delete the account", async ({
    page,
    app,
  }) => {
    // The account and its phone (a native app's session).
    const signUp = await fetch(`${app.url}/api/accounts`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: "nina", displayName: "Nina", password: "nina-pass-1" }),
    });
    expect(signUp.status).toBe(201);
    const { token } = (await signUp.json()) as { token: string };
    const phoneStatus = async () =>
      (await fetch(`${app.url}/api/sessions`, { headers: { authorization: `Bearer ${token}` } }))
        .status;
    const main = page.getByRole("main");

    // Signed out, /account leads to the password form and back.
    await page.goto("/account");
    await expect(page.getByRole("heading", { name: "Sign in with your password" })).toBeVisible();
    await page.getByLabel("Username").fill("nina");
    await page.getByLabel("Password", { exact: true }).fill("nina-pass-1");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("heading", { name: "Your account", exact: true })).toBeVisible();
    await expect(page).toHaveURL(`${app.url}/account`);

    await page.getByLabel("Name shown to you and on computers you sign in to").fill("Nina Neu");
    await page.getByRole("button", { name: "Save name" }).click();
    await expect(main.getByRole("status")).toHaveText(
      "Saved. Your name is now “Nina Neu”, on every computer waiting for you too.",
    );
    await page.goto("/");
    await expect(page.getByText("Signed in as Nina Neu")).toBeVisible();
    await page.getByRole("link", { name: "Your account: name, password, delete" }).click();

    await expect(page.getByText("This computer stays signed in.", { exact: false })).toBeVisible();
    const changePassword = async (current: string) => {
      await page.getByLabel("Current password").fill(current);
      await page.getByLabel("New password (at least 8 characters)").fill("nina-pass-2");
      await page.getByRole("button", { name: "Change password" }).click();
    };
    await changePassword("not-my-password");
    await expect(main.getByRole("alert")).toHaveText(
      "That is not your current password. Check it and try again.",
    );
    expect(await phoneStatus()).toBe(200);
    await changePassword("nina-pass-1");
    await expect(main.getByRole("status")).toHaveText(
      "Password changed. 1 other session was signed out.",
    );
    expect(await phoneStatus()).toBe(401);
    // This computer is still signed in (a new load, not the POST's answer).
    await page.goto("/account");
    await expect(page.getByRole("heading", { name: "Your account", exact: true })).toBeVisible();

    await page.getByLabel("Your password").fill("nina-pass-2");
    await page.getByRole("button", { name: "Delete my account" }).click();
    await expect(page.getByRole("heading", { name: "Your account was deleted" })).toBeVisible();
    await expect(main.getByRole("status")).toHaveText(
      "Your account was deleted, with its passkeys and its history. Every device it was signed in on is signed out.",
    );
    await page.goto("/");
    await expect(page.getByText("You are not signed in.")).toBeVisible();
  });
});

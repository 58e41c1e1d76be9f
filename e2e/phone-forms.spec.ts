import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { PhoneApp } from "./pages";
import { onBase } from "./qr";

/** Every URL the page asked for or showed, kept as it goes (the address bar's history included). */
function recordUrls(page: Page): string[] {
  const urls: string[] = [];
  page.on("request", (request) => urls.push(request.url()));
  page.on("framenavigated", (frame) => urls.push(frame.url()));
  return urls;
}

test.describe("the phone's forms without JavaScript", () => {
  test("sign-in posts to next-auth; a wrong password says so; no URL ever holds the password", async ({
    browser,
    app,
  }) => {
    const phone = await PhoneApp.open(browser, app.url, { javaScriptEnabled: false });
    const urls = recordUrls(phone.page);
    const posts: string[] = [];
    phone.page.on("request", (r) => {
      if (r.method() === "POST") posts.push(new URL(r.url()).pathname);
    });

    await phone.page.goto("/m");
    await phone.fillSignIn("alice", "not-the-password");
    await expect(phone.page.getByRole("alert")).toHaveText(
      "Wrong username or password. Check them and try again.",
    );
    await expect(phone.page).toHaveURL(/\/m\?/);

    await phone.fillSignIn("alice", "wonderland");
    await expect(
      phone.page.getByRole("heading", { name: "Scan a QR code with your camera" }),
    ).toBeVisible();
    expect(posts).toEqual(["/api/auth/callback/credentials", "/api/auth/callback/credentials"]);
    for (const url of urls) {
      expect(url).not.toContain("wonderland");
      expect(url).not.toContain("not-the-password");
      expect(url).not.toContain("password=");
    }
    await phone.close();
  });

  test("signed out on a scan link: signing in comes back to the same request", async ({
    browser,
    app,
    desktop,
  }) => {
    const scanUrl = await desktop.readQr();
    const phone = await PhoneApp.open(browser, app.url, { javaScriptEnabled: false });
    const urls = recordUrls(phone.page);
    await phone.openScan(scanUrl);
    await expect(phone.page.getByRole("heading", { name: "Sign in to continue" })).toBeVisible();
    await phone.fillSignIn("alice", "wonderland");
    await expect(phone.page).toHaveURL(onBase(scanUrl, app.url));
    // Without JavaScript the request is not answered, but it is the one the QR named.
    await expect(phone.page.getByText("Checking the login request…")).toBeVisible();
    expect(urls.filter((u) => u.includes("wonderland"))).toEqual([]);
    await phone.close();
  });

  test("the typed code posts and opens the request", async ({ browser, app, desktop }) => {
    const code = (await desktop.userCode.textContent()) ?? "";
    const phone = await PhoneApp.open(browser, app.url, { javaScriptEnabled: false });
    await phone.page.goto("/m");
    await phone.fillSignIn("alice", "wonderland");
    await expect(
      phone.page.getByRole("heading", { name: "Scan a QR code with your camera" }),
    ).toBeVisible();

    await phone.enterCode("bcdf-ghjk");
    await expect(phone.page.getByRole("main").getByRole("alert")).toHaveText(
      /No sign-in request has this code/,
    );
    await phone.enterCode(code.toLowerCase());
    await expect(phone.page).toHaveURL(/\/m\/scan\/[A-Za-z0-9_-]{24}(\?t=[^&]+)?$/);
    await phone.close();
  });
});

import { devices, type Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { LoginPage } from "./pages";

const { defaultBrowserType: _p, ...phoneDevice } = devices["Pixel 7"];
const PASSWORD = "wonderland";

/** Every URL the page asked for or navigated to, to prove the password never rode in one. */
function recordUrls(page: Page): string[] {
  const urls: string[] = [];
  page.on("request", (request) => urls.push(request.url()));
  page.on("framenavigated", (frame) => urls.push(frame.url()));
  return urls;
}

async function signInWithPassword(page: Page, password: string) {
  await page.getByLabel("Username").fill("alice");
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

for (const javaScriptEnabled of [true, false]) {
  test(`password sign-in on the desktop (JavaScript ${javaScriptEnabled ? "on" : "off"}): a wrong password says so, the right one signs the computer in`, async ({
    browser,
    app,
  }) => {
    const desktop = await LoginPage.open(browser, app.url, { javaScriptEnabled });
    try {
      const page = desktop.page;
      const urls = recordUrls(page);
      await page.goto("/login");
      // Without JavaScript /login is the password form already; with it, one link away.
      if (javaScriptEnabled) {
        await page.getByRole("link", { name: "Sign in with password instead" }).click();
      }
      await expect(page.getByRole("heading", { name: "Sign in with your password" })).toBeVisible();
      await expect(page).toHaveTitle("Sign in · QR login");

      await signInWithPassword(page, "not-the-password");
      await expect(page.getByRole("main").getByRole("alert")).toHaveText(
        "Wrong username or password. Check them and try again.",
      );
      // The username stays; focus is where the person types next, told why.
      await expect(page.getByLabel("Username")).toHaveValue("alice");
      const password = page.getByLabel("Password", { exact: true });
      await expect(password).toBeFocused();
      await expect(password).toHaveAccessibleDescription(/Wrong username or password/);

      await signInWithPassword(page, PASSWORD);
      await page.waitForURL(`${app.url}/`);
      await expect(page.getByText("Signed in as Alice Liddell")).toBeVisible();
      expect(urls.length).toBeGreaterThan(3);
      for (const url of urls) {
        expect(url).not.toContain(PASSWORD);
        expect(url).not.toContain("not-the-password");
      }
      // A computer session: /m tells it to use the phone instead of approving.
      await page.goto("/m");
      await expect(page.getByRole("heading", { name: "Open this on your phone" })).toBeVisible();
    } finally {
      await desktop.close();
    }
  });
}

test("/login on a phone leads with the password form and says the QR is for computers", async ({
  browser,
  app,
}) => {
  const context = await browser.newContext({ ...phoneDevice, baseURL: app.url });
  try {
    const page = await context.newPage();
    await page.goto("/login");
    await expect(page.getByRole("heading", { name: "Sign in with your password" })).toBeVisible();
    await expect(page.getByText("The QR code is for signing in on a computer")).toBeVisible();
    await expect(page.getByRole("img", { name: /QR code/ })).toHaveCount(0);
    await page.getByRole("link", { name: "Show the QR code anyway" }).click();
    await expect(page.getByRole("img", { name: /QR code to sign in/ })).toBeVisible();

    await page.goto("/login");
    await signInWithPassword(page, PASSWORD);
    await page.waitForURL(`${app.url}/`);
    await expect(page.getByText("Signed in as Alice Liddell")).toBeVisible();
  } finally {
    await context.close();
  }
});

test("/login without JavaScript: the password form, saying the QR needs JavaScript; no dead Cancel", async ({
  browser,
  app,
}) => {
  const desktop = await LoginPage.open(browser, app.url, { javaScriptEnabled: false });
  try {
    const page = desktop.page;
    await page.goto("/login");
    await expect(page.getByText("The QR code needs JavaScript")).toBeVisible();
    await expect(page.getByRole("heading", { name: "Sign in with your password" })).toBeVisible();
    await expect(page.getByRole("button", { name: "Cancel" })).toBeHidden();
    await expect(page.getByText("Scan with your phone's camera")).toBeHidden();
    await expect(page.getByRole("img", { name: /QR code|login code/ })).toBeHidden();
    await signInWithPassword(page, PASSWORD);
    await page.waitForURL(`${app.url}/`);
    await expect(page.getByText("Signed in as Alice Liddell")).toBeVisible();
  } finally {
    await desktop.close();
  }
});

test("/login with JavaScript: the QR, and no word of the no-JavaScript form", async ({
  desktop,
}) => {
  await expect(desktop.qr).toBeVisible();
  await expect(desktop.page.getByText("The QR code needs JavaScript")).toBeHidden();
  await expect(
    desktop.page.getByRole("heading", { name: "Sign in with your password" }),
  ).toHaveCount(0);
  await expect(desktop.page.getByRole("button", { name: "Cancel" })).toBeVisible();
});

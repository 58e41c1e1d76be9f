import { expect, test } from "./fixtures";
import { LoginPage, PhoneApp } from "./pages";

/**
 * The language switch at the top of every page (issue 20): a browser that
 * asks for Traditional Chinese gets Simplified (the closest there is) and can
 * switch; the choice is kept in a cookie over Accept-Language on every page,
 * and works without JavaScript.
 */
for (const javaScriptEnabled of [true, false]) {
  test(`zh-TW gets Simplified Chinese, switches to English, and English stays on every page (JavaScript ${javaScriptEnabled ? "on" : "off"})`, async ({
    browser,
    app,
  }) => {
    const desktop = await LoginPage.open(browser, app.url, { locale: "zh-TW", javaScriptEnabled });
    try {
      const page = desktop.page;
      await page.goto("/login?method=password");
      await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
      await expect(page.getByRole("heading", { name: "用密码登录" })).toBeVisible();

      const switcher = page.getByRole("form", { name: "语言" });
      await switcher.getByRole("button", { name: "English" }).click();
      // Back on the same page, now in English.
      await expect(page.getByRole("heading", { name: "Sign in with your password" })).toBeVisible();
      expect(new URL(page.url()).pathname + new URL(page.url()).search).toBe(
        "/login?method=password",
      );
      await expect(page.locator("html")).toHaveAttribute("lang", "en");
      const cookie = (await page.context().cookies()).find((c) => c.name === "qrl-locale");
      expect(cookie?.value).toBe("en");

      // Every other page too, though the browser still asks for zh-TW.
      await page.goto("/m");
      await expect(page.getByRole("heading", { name: "Sign in on your phone" })).toBeVisible();
      await page.goto("/");
      await expect(page.getByText("You are not signed in.")).toBeVisible();

      // And back.
      await page
        .getByRole("form", { name: "Language" })
        .getByRole("button", { name: "中文（简体）" })
        .click();
      await expect(page.getByText("您尚未登录。")).toBeVisible();
      await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
    } finally {
      await desktop.close();
    }
  });
}

test("the phone app has the switch too, and keeps the choice through sign-in", async ({
  browser,
  app,
}) => {
  const phone = await PhoneApp.open(browser, app.url);
  try {
    await phone.page.goto("/m");
    await phone.page.getByRole("button", { name: "中文（简体）" }).click();
    await expect(phone.page.getByRole("heading", { name: "在手机上登录" })).toBeVisible();
    await phone.page.getByLabel("用户名").fill("alice");
    await phone.page.getByLabel("密码").fill("wonderland");
    await phone.page.getByRole("button", { name: "登录", exact: true }).click();
    await expect(phone.page.getByRole("heading", { name: "用相机扫描二维码" })).toBeVisible();
  } finally {
    await phone.close();
  }
});

test("another site's form cannot change the language", async ({ app, request }) => {
  const res = await request.post(`${app.url}/language`, {
    form: { locale: "zh-CN", back: "/" },
    headers: { "sec-fetch-site": "cross-site" },
    maxRedirects: 0,
  });
  expect(res.status()).toBe(303);
  expect(res.headers()["set-cookie"] ?? "").not.toContain("qrl-locale");
  const ours = await request.post(`${app.url}/language`, {
    form: { locale: "zh-CN", back: "//evil.example/" },
    maxRedirects: 0,
  });
  expect(ours.headers().location).toBe("/");
  expect(ours.headers()["set-cookie"]).toContain("qrl-locale=zh-CN");
});

import { expect, test } from "./fixtures";
import { LoginPage, PhoneApp } from "./pages";
import { decodeQrPng } from "./qr";

/**
 * One whole QR login in Simplified Chinese: both browsers ask for zh-CN
 * (Accept-Language), every page says `<html lang="zh-CN">`, and the desktop
 * speaks Chinese in each state it passes through.
 */
test("a full QR login in Chinese, desktop and phone", async ({ browser, app }) => {
  const desktop = await LoginPage.open(browser, app.url, { locale: "zh-CN" });
  const phone = await PhoneApp.open(browser, app.url, { locale: "zh-CN" });
  try {
    const page = desktop.page;
    const status = page.getByRole("main").getByRole("status");
    await page.goto("/login");
    await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
    await expect(page).toHaveTitle("登录 · 扫码登录");
    await expect(page.getByRole("heading", { name: "用手机登录" })).toBeVisible();
    await expect(page.getByRole("list", { name: "登录步骤" }).getByRole("listitem")).toHaveCount(3);
    await expect(page.getByRole("img", { name: "登录二维码：请用手机扫描" })).toBeVisible();
    await expect(status).toHaveText("请用手机扫描二维码");
    // Step 2 names the phone's own button (扫码), as step 3 names 批准.
    await expect(page.getByRole("listitem").nth(1)).toHaveText("点按扫码，将手机对准此屏幕");
    await expect(page.getByRole("button", { name: "复制代码" })).toHaveCount(0);
    await expect(page.getByRole("link", { name: "改用密码登录" })).toBeVisible();
    const scanUrl = decodeQrPng(await page.screenshot());
    expect(scanUrl).not.toBeNull();

    await phone.signIn("alice", "wonderland");
    await expect(phone.page.locator("html")).toHaveAttribute("lang", "zh-CN");
    await expect(phone.page.getByRole("button", { name: "扫码", exact: true })).toBeVisible();
    await phone.openScan(scanUrl ?? "");
    await expect(phone.page.locator("html")).toHaveAttribute("lang", "zh-CN");
    await expect(phone.page.getByRole("heading", { name: "要在电脑上登录吗？" })).toBeVisible();
    await expect(phone.page.getByRole("button", { name: "批准" })).toBeVisible();

    await expect(status).toHaveText("Alice Liddell 已扫码，请在手机上确认");
    await expect(page.getByText("请核对手机上显示的代码是否为")).toBeVisible();
    await phone.page.getByRole("button", { name: "批准" }).click();

    // Alice never signed in on this browser: the computer asks first, in Chinese.
    await expect(page.getByText("以 Alice Liddell 的身份继续？", { exact: true })).toBeVisible();
    await expect(page.getByText("批准登录的手机登录的是“alice”。")).toBeVisible();
    await page.getByRole("button", { name: "继续", exact: true }).click();

    await page.waitForURL(`${app.url}/`);
    await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
    await expect(page.getByText("已登录为 Alice Liddell")).toBeVisible();
    await expect(page.getByRole("button", { name: "退出登录" })).toBeVisible();
  } finally {
    await desktop.close();
    await phone.close();
  }
});

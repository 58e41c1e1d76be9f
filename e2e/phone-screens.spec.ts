import { mkdir } from "node:fs/promises";
import { devices, type Locator } from "@playwright/test";
import { violations } from "./axe";
import { expect, test } from "./fixtures";
import { PhoneApp } from "./pages";

const ARTIFACTS = "test-artifacts";
const { defaultBrowserType: _, ...pixel } = devices["Pixel 7"];

/** Words in `list` that the browser broke across lines (each word's range must be on one line). */
async function brokenWords(list: Locator): Promise<string[]> {
  return list.evaluate((root) => {
    const broken: string[] = [];
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent ?? "";
      // A break after a hyphen ("sign-|in") is ordinary typography; inside a word it is not.
      for (const match of text.matchAll(/[^\s-]+-?/g)) {
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
        if (lines.size > 1) broken.push(match[0]);
      }
    }
    return broken;
  });
}

/** On how many lines the element's text is laid out. */
async function linesOf(element: Locator): Promise<number> {
  return element.evaluate((el) => {
    const range = document.createRange();
    range.selectNodeContents(el);
    return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size;
  });
}

async function confirmScreen(
  browser: import("@playwright/test").Browser,
  url: string,
  scanUrl: string,
  viewport: { width: number; height: number },
) {
  const phone = await PhoneApp.open(browser, url, { viewport });
  await phone.signIn("alice", "wonderland");
  await phone.openScan(scanUrl);
  await expect(phone.confirmHeading).toBeVisible();
  return phone;
}

test("at 320 × 568: no word broken mid-way, the code on one line, Approve above the fold", async ({
  browser,
  app,
  desktop,
}) => {
  const phone = await confirmScreen(browser, app.url, await desktop.readQr(), {
    width: 320,
    height: 568,
  });
  const details = phone.page.locator("dl.details");
  expect(await brokenWords(details)).toEqual([]);
  expect(await linesOf(phone.page.locator("dd .user-code"))).toBe(1);
  const approve = await phone.page.getByRole("button", { name: "Approve" }).boundingBox();
  expect(approve).not.toBeNull();
  expect((approve?.y ?? 0) + (approve?.height ?? 0)).toBeLessThanOrEqual(568);
  expect(await violations(phone.page)).toEqual([]);
  await mkdir(ARTIFACTS, { recursive: true });
  await phone.page.screenshot({ path: `${ARTIFACTS}/phone-confirm-320.png`, fullPage: true });
  await phone.close();
});

test("a phone at 200 % zoom: Approve and Deny whole, inside the screen", async ({
  browser,
  app,
  desktop,
}) => {
  // 200 % zoom on a 412-px-wide phone leaves 206 CSS pixels.
  const phone = await confirmScreen(browser, app.url, await desktop.readQr(), {
    width: Math.floor(pixel.viewport.width / 2),
    height: Math.floor(pixel.viewport.height / 2),
  });
  for (const name of ["Approve", "Deny"]) {
    const button = phone.page.getByRole("button", { name });
    const box = await button.boundingBox();
    expect(box?.x ?? -1).toBeGreaterThanOrEqual(0);
    expect((box?.x ?? 0) + (box?.width ?? 0)).toBeLessThanOrEqual(pixel.viewport.width / 2);
    expect(await button.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
  }
  expect(await brokenWords(phone.page.locator("dl.details"))).toEqual([]);
  await phone.page.screenshot({ path: `${ARTIFACTS}/phone-confirm-zoom-200.png`, fullPage: true });
  await phone.close();
});

test("titles per page, focus on the new state after sign-in, h2 smaller than h1", async ({
  newPhone,
  desktop,
}) => {
  const phone = await newPhone();
  await phone.page.goto("/m");
  await expect(phone.page).toHaveTitle("Phone · QR login");
  await phone.fillSignIn("alice", "wonderland");
  const home = phone.page.getByRole("heading", { name: "Scan a QR code with your camera" });
  await expect(home).toBeFocused();

  await phone.page.goto("/m/link");
  await expect(phone.page).toHaveTitle("Enter a code · QR login");
  await phone.openScan(await desktop.readQr());
  await expect(phone.page).toHaveTitle("Sign-in request · QR login");
  await phone.deny();
  expect(await violations(phone.page)).toEqual([]);

  await phone.page.goto("/m/activity");
  await expect(phone.page).toHaveTitle("Security history · QR login");
  const size = (l: Locator) => l.evaluate((el) => Number.parseFloat(getComputedStyle(el).fontSize));
  const h1 = await size(phone.page.getByRole("heading", { level: 1 }));
  const h2 = await size(phone.page.getByRole("heading", { level: 2 }).first());
  expect(h2).toBeLessThan(h1);
  expect(await violations(phone.page)).toEqual([]);
  await phone.page.goto("/m/sessions");
  await expect(phone.page).toHaveTitle("Your devices · QR login");
  await phone.page.goto("/m/security");
  await expect(phone.page).toHaveTitle("Security: passkeys · QR login");
});

test("offline on the confirm screen is announced; Approve waits for the network", async ({
  newPhone,
  desktop,
}) => {
  const phone = await newPhone();
  await phone.signIn("alice", "wonderland");
  await phone.openScan(await desktop.readQr());
  await expect(phone.confirmHeading).toBeVisible();
  const approve = phone.page.getByRole("button", { name: "Approve" });
  await phone.page.context().setOffline(true);
  await expect(phone.page.getByRole("status").filter({ hasText: "You're offline" })).toBeVisible();
  await expect(approve).toBeDisabled();
  expect(await violations(phone.page)).toEqual([]);
  await phone.page.context().setOffline(false);
  await expect(phone.page.getByText("You're offline")).toHaveCount(0);
  await expect(approve).toBeEnabled();
  await phone.approve();
});

test("the phone app speaks Chinese to a Chinese browser", async ({ browser, app }) => {
  const phone = await PhoneApp.open(browser, app.url, { locale: "zh-CN" });
  await phone.page.goto("/m");
  await expect(phone.page.locator("html")).toHaveAttribute("lang", "zh-CN");
  await expect(phone.page).toHaveTitle("手机 · 扫码登录");
  await phone.page.getByLabel("用户名").fill("alice");
  await phone.page.getByLabel("密码").fill("wonderland");
  await phone.page.getByRole("button", { name: "登录" }).click();
  await expect(phone.page.getByRole("heading", { name: "用相机扫描二维码" })).toBeVisible();
  await expect(phone.page.getByRole("button", { name: "扫码" })).toBeVisible();
  expect(await violations(phone.page)).toEqual([]);
  await phone.close();
});

test("following the request fails: the connection or the server is named as the case is", async ({
  newPhone,
  desktop,
}) => {
  const phone = await newPhone();
  await phone.signIn("alice", "wonderland");
  await phone.page.route("**/approval*", (route) =>
    route.fulfill({
      status: 503,
      contentType: "application/json",
      body: JSON.stringify({ error: { code: "store_unavailable", message: "unavailable" } }),
    }),
  );
  await phone.openScan(await desktop.readQr());
  await expect(phone.confirmHeading).toBeVisible();
  await expect(phone.page.getByRole("status").filter({ hasText: "not answering" })).toHaveText(
    "The login service is not answering. This is not your connection; this screen keeps trying.",
  );
  // No answer at all while the phone is online: the service, not the phone's connection.
  await phone.page.unroute("**/approval*");
  await phone.page.route("**/approval*", (route) => route.abort("connectionrefused"));
  const noAnswer = phone.page.getByRole("status").filter({ hasText: "not answering" });
  await expect(noAnswer).toHaveText("The sign-in service is not answering; we keep trying.", {
    timeout: 15_000,
  });
  await expect(phone.page.getByText("internet connection")).toHaveCount(0);
  // Offline (the phone knows it): its connection.
  await phone.page.context().setOffline(true);
  await expect(phone.page.getByRole("status").filter({ hasText: "You're offline" })).toBeVisible();
  await phone.page.context().setOffline(false);
  await phone.page.unroute("**/approval*");
  await expect(noAnswer).toHaveCount(0, { timeout: 15_000 });
  await phone.approve();
});

test("tapping “Scan a QR code” keeps focus on what replaced the button, down to a camera problem", async ({
  newPhone,
}) => {
  const phone = await newPhone();
  await phone.signIn("alice", "wonderland");
  await phone.page.getByRole("button", { name: "Scan a QR code" }).click();
  // No camera in this browser: the scanner opens, then says why it can't look.
  const problem = phone.page.getByRole("main").getByRole("alert");
  await expect(problem).toContainText("camera");
  await expect(problem.locator(":focus")).toHaveText(/camera/);
  expect(await phone.page.evaluate(() => document.activeElement === document.body)).toBe(false);
});

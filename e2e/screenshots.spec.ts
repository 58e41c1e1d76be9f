import { mkdir } from "node:fs/promises";
import { type Browser, devices, type Page } from "@playwright/test";
import { startApp } from "../tests/support/app-server";
import { startRedis } from "../tests/support/redis-server";
import { axeViolations } from "./axe";
import { expect, test } from "./fixtures";
import { animationsDone, LoginPage, PhoneApp } from "./pages";

/**
 * Screenshots of every desktop and phone state at 1280, 412 and 320 px, in
 * light and in dark, kept by the run in test-results/screenshots/ (README's
 * docs/screenshots/ are copies of some), and axe clean on each. Layout depends
 * on the width and contrast on the scheme, so every width is pictured and each
 * scheme at two widths: four runs, not all six pairs.
 */

const DIR = "test-results/screenshots";
const { defaultBrowserType: _p, ...phoneDevice } = devices["Pixel 7"];
const WIDE = { width: 1280, height: 800 } as const;
const PHONE = { width: 412, height: 915 } as const;
const NARROW = { width: 320, height: 568 } as const;
type Size = typeof WIDE | typeof PHONE | typeof NARROW;
type Scheme = "light" | "dark";
const PAIRS: ReadonlyArray<{ size: Size; scheme: Scheme }> = [
  { size: WIDE, scheme: "light" },
  { size: WIDE, scheme: "dark" },
  { size: PHONE, scheme: "dark" },
  { size: NARROW, scheme: "light" },
];

/** Saves `page` as `<side>-<state>-<width>-<scheme>.png` and asserts axe finds nothing. */
async function keep(page: Page, side: "desktop" | "phone", state: string, tag: string) {
  await animationsDone(page);
  await page.screenshot({ path: `${DIR}/${side}-${state}-${tag}.png`, fullPage: true });
  expect(await axeViolations(page), `axe on ${side} ${state} ${tag}`).toEqual([]);
}

async function openPair(browser: Browser, base: string, size: Size, colorScheme: Scheme) {
  const desktop = await LoginPage.open(browser, base, { viewport: size, colorScheme });
  const phoneContext = await browser.newContext({
    ...phoneDevice,
    viewport: size,
    colorScheme,
    baseURL: base,
  });
  const phone = new PhoneApp(await phoneContext.newPage(), base);
  return { desktop, phone };
}

for (const { size, scheme } of PAIRS) {
  const tag = `${size.width}-${scheme}`;
  test(`every state at ${size.width} px, ${scheme}`, async ({ browser, app }) => {
    test.setTimeout(120_000);
    await mkdir(DIR, { recursive: true });
    const { desktop, phone } = await openPair(browser, app.url, size, scheme);
    const d = desktop.page;
    const p = phone.page;
    try {
      await desktop.goto();
      await keep(d, "desktop", "waiting", tag);

      await p.goto("/m");
      await expect(p.getByLabel("Username")).toBeVisible();
      await keep(p, "phone", "sign-in", tag);
      await phone.signIn("alice", "wonderland");
      await keep(p, "phone", "home", tag);

      // Scanned, then denied on the phone.
      await phone.openScan(await desktop.readQr());
      await expect(phone.confirmHeading).toBeVisible();
      await expect(desktop.status).toHaveText(/^Scanned by Alice Liddell/);
      await keep(p, "phone", "confirm", tag);
      await keep(d, "desktop", "scanned", tag);
      await phone.deny();
      await expect(desktop.status).toHaveText("Login declined on the phone");
      await keep(p, "phone", "denied", tag);
      await keep(d, "desktop", "denied", tag);

      // Cancelled on the desktop.
      await d.getByRole("button", { name: "Get a new code" }).click();
      await expect(desktop.qr).toBeVisible();
      await d.getByRole("button", { name: "Cancel" }).click();
      await expect(desktop.status).toHaveText("Cancelled — get a new code");
      await keep(d, "desktop", "cancelled", tag);

      // Approved: the claim is held until "signing in" is pictured, then let through.
      let release = () => {};
      const held = new Promise<void>((resolve) => {
        release = resolve;
      });
      await d.route("**/api/auth/callback/qr", async (route) => {
        await held;
        await route.continue();
      });
      await d.getByRole("button", { name: "Get a new code" }).click();
      await expect(desktop.qr).toBeVisible();
      await phone.openScan(await desktop.readQr());
      await p.getByRole("button", { name: "Approve" }).click();
      // A fresh browser: "Continue as Alice Liddell?" first.
      await expect(desktop.continueQuestion("Alice Liddell")).toBeVisible();
      await keep(d, "desktop", "continue-as", tag);
      await d.getByRole("button", { name: "Continue", exact: true }).click();
      await expect(desktop.status).toHaveText("Approved — signing you in…");
      await keep(d, "desktop", "signing-in", tag);
      release();
      await d.waitForURL(`${app.url}/`);
      await expect(d.getByText("Signed in as Alice Liddell")).toBeVisible();
      await keep(d, "desktop", "signed-in", tag);
      await expect(p.getByRole("button", { name: "Approve" })).toHaveCount(0);
      await keep(p, "phone", "approved", tag);
    } finally {
      await desktop.close();
      await phone.page.context().close();
    }
  });
}

/** Expired: this test's own app, whose codes live 2 s (an idle tab gives up after three renewals). */
test("expired, at every width and in both schemes", async ({ browser }) => {
  test.setTimeout(90_000);
  await mkdir(DIR, { recursive: true });
  const redis = await startRedis();
  const app = await startApp({
    REDIS_URL: redis.url,
    QRL_PENDING_TTL_S: "2",
    QRL_POLL_INTERVAL_MS: "200",
  });
  const pages: LoginPage[] = [];
  try {
    for (const { size, scheme } of PAIRS) {
      const desktop = await LoginPage.open(browser, app.url, {
        viewport: size,
        colorScheme: scheme,
      });
      pages.push(desktop);
      await desktop.page.goto("/login");
    }
    for (const [i, { size, scheme }] of PAIRS.entries()) {
      const desktop = pages[i] as LoginPage;
      await expect(desktop.status).toHaveText("Code expired — get a new one", {
        timeout: 30_000,
      });
      await expect(desktop.page.getByRole("button", { name: "Get a new code" })).toBeVisible();
      await keep(desktop.page, "desktop", "expired", `${size.width}-${scheme}`);
    }
  } finally {
    for (const desktop of pages) await desktop.close();
    await app.stop();
    await redis.stop();
  }
});

import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import type { PhoneApp } from "./pages";
import { onBase } from "./qr";

/**
 * Issue 25.6: a link to the scan page on another site never scans by itself.
 * The phone shows the request with "Open this sign-in request"; the desktop
 * hears nothing (no scan is sent) until the person taps it.
 */
const EVIL = "http://evil.test";

/** A page on another origin whose only content is a link to `href`. */
async function foreignPage(page: Page, href: string) {
  await page.route(`${EVIL}/**`, (route) =>
    route.fulfill({
      contentType: "text/html",
      body: `<!doctype html><title>Prize</title><a href="${href}">Claim your prize</a>`,
    }),
  );
  await page.goto(`${EVIL}/prize`);
}

/** Counts the phone's scan requests (POST /api/qr/{id}/scan). */
function scans(phone: PhoneApp) {
  const seen: string[] = [];
  phone.page.on("request", (r) => {
    if (/\/api\/qr\/[^/]+\/scan/.test(r.url())) seen.push(r.url());
  });
  return seen;
}

async function askedThenOpened(phone: PhoneApp, sent: string[]) {
  const open = phone.page.getByRole("button", { name: "Open this sign-in request" });
  await expect(open).toBeVisible();
  await expect(
    phone.page.getByRole("heading", { name: "A sign-in request from a link" }),
  ).toBeVisible();
  // Hydrated and quiet: nothing was sent to the server on the person's behalf.
  await phone.page.waitForLoadState("networkidle");
  expect(sent).toEqual([]);
  await expect(phone.confirmHeading).toHaveCount(0);
  await open.click();
  await expect(phone.confirmHeading).toBeVisible();
  expect(sent).toHaveLength(1);
}

test("a signed-in phone following a link on another site is asked before the request opens", async ({
  desktop,
  newPhone,
}) => {
  const scanUrl = onBase(await desktop.readQr(), desktop.base);
  const phone = await newPhone();
  await phone.signIn("alice", "wonderland");
  const sent = scans(phone);
  await foreignPage(phone.page, scanUrl);
  await phone.page.getByRole("link", { name: "Claim your prize" }).click();
  await expect(phone.page).toHaveURL(/\/m\/scan\//);
  await askedThenOpened(phone, sent);
  await expect(desktop.status).toHaveText("Scanned by Alice Liddell — confirm on your phone");
  await phone.approve();
  await desktop.signedInAs("Alice Liddell");
});

test("the desktop hears nothing while the phone has not tapped", async ({ desktop, newPhone }) => {
  const scanUrl = onBase(await desktop.readQr(), desktop.base);
  const phone = await newPhone();
  await phone.signIn("alice", "wonderland");
  const sent = scans(phone);
  // A navigation that only says where it came from (an old browser's Referer).
  await phone.page.goto(scanUrl, { referer: `${EVIL}/prize` });
  await expect(phone.page.getByRole("button", { name: "Open this sign-in request" })).toBeVisible();
  await phone.page.waitForLoadState("networkidle");
  expect(sent).toEqual([]);
  // The desktop's long-poll: still waiting for a scan, no name shown.
  await expect(desktop.status).toHaveText("Scan with your phone's camera");
});

test("a signed-out phone from a foreign link signs in, then is asked", async ({
  desktop,
  newPhone,
}) => {
  const scanUrl = onBase(await desktop.readQr(), desktop.base);
  const phone = await newPhone();
  const sent = scans(phone);
  await foreignPage(phone.page, scanUrl);
  await phone.page.getByRole("link", { name: "Claim your prize" }).click();
  await expect(phone.page.getByRole("heading", { name: "Sign in to continue" })).toBeVisible();
  await phone.fillSignIn("alice", "wonderland");
  await askedThenOpened(phone, sent);
});

test("the camera app's navigation (no referrer) scans at once", async ({ desktop, newPhone }) => {
  const phone = await newPhone();
  await phone.signIn("alice", "wonderland");
  await phone.openScan(await desktop.readQr());
  await expect(phone.confirmHeading).toBeVisible();
  await expect(phone.page.getByRole("button", { name: "Open this sign-in request" })).toHaveCount(
    0,
  );
  await expect(desktop.status).toHaveText("Scanned by Alice Liddell — confirm on your phone");
});

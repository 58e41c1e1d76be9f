import { writeFile } from "node:fs/promises";
import { chromium } from "@playwright/test";
import { chromium as chromiumOptions } from "../playwright.config";
import { expect, test } from "./fixtures";
import { animationsDone, PhoneApp } from "./pages";
import { decodeQrPng, ticketIdOf } from "./qr";
import { pngToY4m } from "./y4m";

test("the in-app scanner reads the desktop's QR through the phone's camera", async ({
  desktop,
  app,
}, testInfo) => {
  const video = testInfo.outputPath("desktop-screen.y4m");
  // The phone's camera is held up to the desktop's screen: a screenshot of the QR and its
  // surroundings, once the QR is drawn (not the skeleton before it, nor its fade-in).
  await desktop.readQr();
  await animationsDone(desktop.page);
  const qr = await desktop.qr.boundingBox();
  if (!qr) throw new Error("no QR on the login page");
  const margin = 48;
  const screen = await desktop.page.screenshot({
    clip: {
      x: Math.max(0, qr.x - margin),
      y: Math.max(0, qr.y - margin),
      width: qr.width + 2 * margin,
      height: qr.height + 2 * margin,
    },
  });
  const id = ticketIdOf(decodeQrPng(screen) ?? "");
  await writeFile(video, pngToY4m(screen));
  const browser = await chromium.launch({
    ...chromiumOptions,
    args: [
      ...chromiumOptions.args,
      "--use-fake-device-for-media-stream",
      "--use-fake-ui-for-media-stream",
      `--use-file-for-fake-video-capture=${video}`,
    ],
  });
  try {
    const phone = await PhoneApp.open(browser, app.url, { permissions: ["camera"] });
    await phone.signIn("alice", "wonderland");
    await phone.page.getByRole("button", { name: "Scan a QR code" }).click();
    await expect(
      phone.page.getByRole("heading", { name: "Point the camera at the QR code" }),
    ).toBeVisible();
    // zxing decodes a frame every half second, in the page's JavaScript.
    await expect(phone.confirmHeading).toBeVisible({ timeout: 20_000 });
    await expect(phone.page).toHaveURL(new RegExp(`/m/scan/${id}(\\?t=[^&]+)?$`));
    await expect(desktop.status).toHaveText("Scanned by Alice Liddell — confirm on your phone");
    await phone.approve();
    await desktop.signedInAs("Alice Liddell");
  } finally {
    await browser.close();
  }
});

test("no camera: the scanner says so and offers the typed code", async ({ browser, app }) => {
  const phone = await PhoneApp.open(browser, app.url, { permissions: ["camera"] });
  await phone.signIn("alice", "wonderland");
  await phone.page.getByRole("button", { name: "Scan a QR code" }).click();
  await expect(phone.page.getByRole("main").getByRole("alert")).toContainText(
    "Type the code shown under the QR instead.",
  );
  await phone.page.getByRole("link", { name: "Type the code instead", exact: true }).click();
  await expect(
    phone.page.getByRole("heading", { name: "Enter the code from the computer" }),
  ).toBeVisible();
  await phone.close();
});

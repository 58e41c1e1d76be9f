import { expect, testWithOwnApp } from "./fixtures";
import type { LoginPage } from "./pages";

const ROTATION_MS = 4_000;

/**
 * This file's own app: the QR rotates every 4 s (a replaced one still scans
 * for 4 s) and a code is "old" after 6 s, so the global stack's other specs
 * keep the defaults. Slow people are slow in rotations here: two rotations
 * and their grace are the 40 s of the default settings.
 */
const test = testWithOwnApp({
  QR_ROTATION_SECONDS: "4",
  QR_ROTATION_GRACE_SECONDS: "4",
  QRL_OLD_CODE_S: "6",
});

test("the QR changes while the desktop waits, the old one is refused, the newest signs in", async ({
  desktop,
  newPhone,
}) => {
  test.setTimeout(60_000);
  const page = desktop.page;
  const creates: string[] = [];
  page.on("request", (r) => {
    if (r.method() === "POST" && new URL(r.url()).pathname === "/api/qr") creates.push(r.url());
  });
  // No flicker: the QR's image is never taken off the page while it rotates.
  await page.evaluate(() => {
    const w = window as unknown as { qrGaps: number };
    w.qrGaps = 0;
    new MutationObserver(() => {
      if (!document.querySelector("svg.qr")) w.qrGaps++;
    }).observe(document.body, { subtree: true, childList: true });
  });
  const cookiesBefore = await page.context().cookies();

  const seen = [await desktop.readQr()];
  for (let i = 0; i < 2; i++) {
    await expect
      .poll(async () => {
        const url = await desktop.tryReadQr();
        return url !== null && !seen.includes(url);
      })
      .toBe(true);
    seen.push(await desktop.readQr());
  }
  const [first, second] = seen;
  expect(new URL(second ?? "").searchParams.get("t")).toMatch(/^\d+\.[A-Za-z0-9_-]{16}$/);
  // The same ticket all along: one code asked for, the same cookies, the same words on the page.
  expect(new Set(seen.map((url) => new URL(url).pathname)).size).toBe(1);
  expect(creates).toEqual([]);
  expect(await page.context().cookies()).toEqual(cookiesBefore);
  await expect(desktop.status).toHaveText("Scan with your phone's camera");
  expect(await page.evaluate(() => (window as unknown as { qrGaps: number }).qrGaps)).toBe(0);

  // The first QR, two rotations old: refused, in words, with nothing to approve.
  const phone = await newPhone();
  await phone.signIn("alice", "wonderland");
  // User education on the phone's home (RFC 10027).
  await expect(
    phone.page.getByText("Never approve a code that someone sent you or asked you to scan"),
  ).toBeVisible();
  await phone.openScan(first ?? "");
  await expect(
    phone.page.getByRole("heading", {
      name: "This code was replaced — scan the one on the screen now",
    }),
  ).toBeVisible();
  await expect(phone.page.getByRole("button", { name: "Approve" })).toHaveCount(0);

  // The one on the screen now signs in.
  await phone.openScan(await desktop.readQr());
  await expect(phone.confirmHeading).toBeVisible();
  await expect(
    phone.page.getByText("Never approve a code that someone sent you or asked you to scan"),
  ).toBeVisible();
  await expect(phone.detail("On your local network")).toBeVisible();
  await expect(phone.detail("First sign-in from this browser")).toBeVisible();
  await phone.approve();
  await desktop.signedInAs("Alice Liddell");
});

/** Waits until the desktop's QR has changed `times` times (the page rotates it on its own). */
async function waitForRotations(desktop: LoginPage, times: number) {
  const seen = [await desktop.readQr()];
  while (seen.length <= times) {
    await expect
      .poll(async () => {
        const url = await desktop.tryReadQr();
        return url !== null && !seen.includes(url);
      })
      .toBe(true);
    seen.push(await desktop.readQr());
  }
  return seen;
}

test("a person who reads the confirm screen through three rotations still signs in, and the waiting page does not poll on", async ({
  desktop,
  newPhone,
}) => {
  test.setTimeout(60_000);
  const page = desktop.page;
  const phone = await newPhone();
  await phone.signIn("bob", "builder");
  await phone.openScan(await desktop.readQr());
  await expect(phone.confirmHeading).toBeVisible();
  await expect(desktop.status).toContainText("Bob Martin");

  const polls: string[] = [];
  page.on("request", (r) => {
    if (r.method() === "GET" && /^\/api\/qr\/[^/]+$/.test(new URL(r.url()).pathname)) {
      polls.push(r.url());
    }
  });
  // The person reads the confirm screen until its own countdown (60 s to answer) shows that
  // three rotation periods have gone by; all along, one long-poll holds (25 s): the scanned
  // ticket has no rotation to answer it early.
  const answerWithin = phone.page.locator("p", { hasText: "Answer within" }).locator("time");
  const readFor = Math.ceil((3 * ROTATION_MS) / 1000) + 1;
  await expect
    .poll(
      async () => {
        expect(polls.length).toBeLessThanOrEqual(1);
        const [m = "0", sec = "0"] = ((await answerWithin.textContent()) ?? "").split(":");
        return 60 - (Number(m) * 60 + Number(sec));
      },
      { timeout: 30_000 },
    )
    .toBeGreaterThanOrEqual(readFor);
  expect(polls.length).toBeLessThanOrEqual(1);
  await expect(page.getByText("The login service is busy")).toHaveCount(0);

  await phone.approve();
  await desktop.signedInAs("Bob Martin");
});

test("a person who opens the QR signed out and takes two rotations to sign in on the phone keeps the request", async ({
  desktop,
  newPhone,
}) => {
  test.setTimeout(60_000);
  const phone = await newPhone();
  const [opened] = await waitForRotations(desktop, 0);
  await phone.openScan(opened ?? "");
  await expect(phone.page.getByRole("heading", { name: "Sign in to continue" })).toBeVisible();
  // The QR they opened is replaced twice, and its grace runs out, while they sign in.
  await waitForRotations(desktop, 2);
  await phone.fillSignIn("alice", "wonderland");
  await expect(phone.confirmHeading).toBeVisible();
  await expect(phone.page.getByText("This code was replaced")).toHaveCount(0);
  await phone.approve();
  await desktop.signedInAs("Alice Liddell");
});

test("a page open longer than the old-code time: its QR on screen scans with no warning, a screenshot of its first QR is refused", async ({
  desktop,
  newPhone,
}) => {
  test.setTimeout(60_000);
  const [first] = await waitForRotations(desktop, 2);
  // Past QRL_OLD_CODE_S (6 s) since the page opened: two rotations of 4 s.
  // A screenshot of the page's first QR, opened now by someone else: refused.
  const other = await newPhone();
  await other.signIn("bob", "builder");
  await other.openScan(first ?? "");
  await expect(
    other.page.getByRole("heading", {
      name: "This code was replaced — scan the one on the screen now",
    }),
  ).toBeVisible();

  // The QR on screen now, scanned by its owner: no old-code warning, Approve leads.
  const phone = await newPhone();
  await phone.signIn("alice", "wonderland");
  await phone.openScan(await desktop.readQr());
  await expect(phone.confirmHeading).toBeVisible();
  await expect(phone.page.getByRole("main").getByRole("alert")).toHaveCount(0);
  await expect(phone.page.locator(".answer-buttons .btn").first()).toHaveText("Approve");
});

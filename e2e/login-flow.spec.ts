import { mkdir, writeFile } from "node:fs/promises";
import { expect, test } from "./fixtures";
import { LoginPage } from "./pages";
import { decodeQrPng } from "./qr";

const ARTIFACTS = "test-artifacts";

test("scan, sign in on the phone, approve: the desktop is signed in", async ({
  desktop,
  newPhone,
}) => {
  // The page follows the ticket by long-poll: it waits for changes instead of asking every second.
  const longPolls: string[] = [];
  desktop.page.on("request", (request) => {
    if (/\/api\/qr\/[^/]+\?since=\d+&wait=25(&qr=\d+)?$/.test(request.url()))
      longPolls.push(request.url());
  });
  const loginShot = await desktop.page.screenshot({ fullPage: true });
  const scanUrl = decodeQrPng(loginShot);
  expect(scanUrl, "the login page shows a readable QR code").not.toBeNull();
  expect(new URL(scanUrl ?? "").pathname).toMatch(/^\/m\/scan\/[A-Za-z0-9_-]{24}$/);

  const phone = await newPhone();
  await phone.openScan(scanUrl ?? "");
  await expect(phone.page.getByRole("heading", { name: "Sign in to continue" })).toBeVisible();
  await phone.fillSignIn("alice", "wonderland");
  await expect(phone.confirmHeading).toBeVisible();
  await expect(phone.detail("Chrom")).toHaveText(/^Chrom(e|ium)\b/);
  await expect(phone.page.getByText("Only approve if you are signing in")).toBeVisible();

  await expect(desktop.status).toHaveText("Scanned by Alice Liddell — confirm on your phone");
  expect(longPolls.length).toBeGreaterThan(0);

  await mkdir(ARTIFACTS, { recursive: true });
  await writeFile(`${ARTIFACTS}/login.png`, loginShot);
  await phone.page.screenshot({ path: `${ARTIFACTS}/phone-confirm.png`, fullPage: true });
  await desktop.page.screenshot({ path: `${ARTIFACTS}/login-scanned.png`, fullPage: true });

  await phone.approve();
  await desktop.signedInAs("Alice Liddell");

  await desktop.page.getByRole("button", { name: "Sign out" }).click();
  await expect(desktop.page.getByRole("link", { name: "Sign in with your phone" })).toBeVisible();
});

test("deny on the phone: the desktop says declined and offers a new code", async ({
  desktop,
  newPhone,
}) => {
  const first = await desktop.readQr();
  const phone = await newPhone();
  await phone.signIn("alice", "wonderland");
  await phone.openScan(first);
  await expect(phone.confirmHeading).toBeVisible();
  await phone.deny();

  await expect(desktop.status).toHaveText("Login declined on the phone");
  await expect(desktop.qr).toHaveCount(0);
  await desktop.page.getByRole("button", { name: "Get a new code" }).click();
  await expect(desktop.status).toHaveText("Scan with your phone's camera");
  expect(await desktop.readQr()).not.toBe(first);
  await expect(desktop.page).toHaveURL(/\/login$/);
});

test("cancel on the desktop: the code is withdrawn until a new one is asked for", async ({
  desktop,
  newPhone,
}) => {
  const first = await desktop.readQr();
  await desktop.page.getByRole("button", { name: "Cancel" }).click();
  await expect(desktop.status).toHaveText("Cancelled — get a new code");
  await expect(desktop.qr).toHaveCount(0);

  const phone = await newPhone();
  await phone.signIn("alice", "wonderland");
  await phone.openScan(first);
  await expect(
    phone.page.getByRole("heading", { name: "This sign-in was cancelled" }),
  ).toBeVisible();

  await desktop.page.getByRole("button", { name: "Get a new code" }).click();
  expect(await desktop.readQr()).not.toBe(first);
});

test("a second phone opening a QR someone already scanned is refused", async ({
  desktop,
  newPhone,
}) => {
  const scanUrl = await desktop.readQr();
  const alice = await newPhone();
  await alice.signIn("alice", "wonderland");
  await alice.openScan(scanUrl);
  await expect(alice.confirmHeading).toBeVisible();

  const bob = await newPhone();
  await bob.signIn("bob", "builder");
  await bob.openScan(scanUrl);
  await expect(
    bob.page.getByRole("heading", { name: "Someone else already scanned this code" }),
  ).toBeVisible();
  await expect(bob.page.getByRole("button", { name: "Approve" })).toHaveCount(0);

  // Alice's phone is unaffected and still decides.
  await expect(desktop.status).toHaveText("Scanned by Alice Liddell — confirm on your phone");
  await alice.approve();
  await desktop.signedInAs("Alice Liddell");
});

test("the QR reads in dark mode too", async ({ browser, app }) => {
  const desktop = await LoginPage.open(browser, app.url, { colorScheme: "dark" });
  try {
    await desktop.goto();
    expect(
      await desktop.page.evaluate(() => matchMedia("(prefers-color-scheme: dark)").matches),
    ).toBe(true);
    expect(new URL(await desktop.readQr()).pathname).toMatch(/^\/m\/scan\//);
  } finally {
    await desktop.close();
  }
});

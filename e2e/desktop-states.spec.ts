import { expect, test } from "./fixtures";

/**
 * The desktop's states as a person meets them (issue 14): first-time steps,
 * the code kept visible while scanned, focus that follows Cancel and "Get a
 * new code", the code spelled out for screen readers (no copy button), page titles, the favicon, and offline said out
 * loud with the long-poll carrying on once back online.
 */

test("numbered steps, no developer text, a title and a favicon", async ({ desktop }) => {
  const page = desktop.page;
  const steps = page.getByRole("list", { name: "How to sign in" }).getByRole("listitem");
  await expect(steps).toHaveText([
    "Open QR login on your phone",
    "Tap Scan a QR code and point your phone at this screen",
    "Check that the codes match, then tap Approve",
  ]);
  await expect(page.getByRole("main")).not.toContainText(desktop.base);
  await expect(page.getByRole("main")).not.toContainText("must be able to reach");
  await expect(page).toHaveTitle("Sign in · QR login");
  const icon = await page.request.get("/favicon.ico");
  expect(icon.status()).toBe(200);
  expect(icon.headers()["content-type"]).toMatch(/^image\//);
  await page.goto("/");
  await expect(page).toHaveTitle("Home · QR login");
});

test("scanned: the code stays on the desktop, beside 'Check that your phone shows'", async ({
  desktop,
  newPhone,
}) => {
  const code = (await desktop.userCode.textContent()) ?? "";
  expect(code).toMatch(/^[B-Z]{4}-[B-Z]{4}$/);
  const phone = await newPhone();
  await phone.signIn("alice", "wonderland");
  await phone.openScan(await desktop.readQr());
  await expect(phone.confirmHeading).toBeVisible();
  await expect(phone.page.getByText(code)).toBeVisible();

  await expect(desktop.status).toHaveText("Scanned by Alice Liddell — confirm on your phone");
  await expect(desktop.page.getByText("Check that your phone shows")).toBeVisible();
  await expect(desktop.userCode).toHaveText(code);
  await expect(desktop.page.getByRole("img", { name: "QR code, already scanned" })).toBeVisible();
});

test("focus follows Cancel to 'Get a new code', and that to the heading; the faded code stays", async ({
  desktop,
}) => {
  const page = desktop.page;
  const first = await desktop.readQr();
  await page.getByRole("button", { name: "Cancel" }).click();
  await expect(desktop.status).toHaveText("Cancelled — get a new code");
  const newCode = page.getByRole("button", { name: "Get a new code" });
  await expect(newCode).toBeFocused();
  // No empty box: the old code stays, faded, under the button.
  await expect(page.getByRole("img", { name: "QR code, no longer valid" })).toBeVisible();

  await page.keyboard.press("Enter");
  await expect(desktop.status).toHaveText("Scan with your phone's camera");
  await expect(page.getByRole("heading", { name: "Sign in with your phone" })).toBeFocused();
  expect(await desktop.readQr()).not.toBe(first);
});

test("the code is spelled out for screen readers, with no button to copy it into a chat", async ({
  desktop,
}) => {
  const page = desktop.page;
  const code = (await desktop.userCode.textContent()) ?? "";
  expect(code).toMatch(/^[B-Z]{4}-[B-Z]{4}$/);
  const [first, second] = code.split("-").map((g) => g.split("").join(" "));
  // What assistive technology reads: the letters one by one, not "BDWP" as a word.
  await expect(page.locator(".code-row")).toMatchAriaSnapshot(
    `- text: "Code: ${first}, ${second}"`,
  );
  await expect(desktop.userCode).toHaveAttribute("aria-hidden", "true");
  await expect(page.getByRole("button", { name: /copy/i })).toHaveCount(0);
});

test("offline is announced, and the page follows the code again once back online", async ({
  desktop,
  newPhone,
}) => {
  const page = desktop.page;
  const alert = page.getByRole("main").getByRole("alert");
  const scanUrl = await desktop.readQr();
  await page.context().setOffline(true);
  await expect(alert).toHaveText(
    "You're offline. This page carries on by itself when your connection is back.",
  );
  await expect(desktop.qr).toBeVisible();

  await page.context().setOffline(false);
  await expect(alert).toHaveCount(0);
  const phone = await newPhone();
  await phone.signIn("alice", "wonderland");
  await phone.openScan(scanUrl);
  await expect(phone.confirmHeading).toBeVisible();
  await expect(desktop.status).toHaveText("Scanned by Alice Liddell — confirm on your phone");
});

test("a claim refused for its CSRF token is not taken for a sign-in: the page claims again and is signed in", async ({
  desktop,
  newPhone,
}) => {
  const page = desktop.page;
  const claims: string[] = [];
  await page.route("**/api/auth/callback/qr", async (route) => {
    const body = new URLSearchParams(route.request().postData() ?? "");
    claims.push(body.get("csrfToken") ?? "");
    // The first claim carries a stale token, as when another tab replaced the CSRF cookie.
    if (claims.length === 1) body.set("csrfToken", "0".repeat(64));
    await route.continue({ postData: body.toString() });
  });
  const phone = await newPhone();
  await phone.signIn("alice", "wonderland");
  await phone.openScan(await desktop.readQr());
  await phone.approve();
  await desktop.signedInAs("Alice Liddell");
  expect(claims).toHaveLength(2);
});

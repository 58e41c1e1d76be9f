import { expect, test } from "./fixtures";
import { LoginPage, PhoneApp } from "./pages";

/**
 * Issue 20.4: a phone that signs in through /login is not left holding a
 * computer's session that /m then turns away. On a phone (412 × 915, a mobile
 * user agent) the /login password form signs in as a phone; a phone that
 * still holds a computer's session is offered "Sign out and sign in as this
 * phone" on /m.
 */

const PHONE = { viewport: { width: 412, height: 915 } };

test("/login's password form on a phone signs in as a phone: /m works and it approves a computer", async ({
  browser,
  app,
  desktop,
}) => {
  const phone = await PhoneApp.open(browser, app.url, PHONE);
  const page = phone.page;
  await page.goto("/login");
  await expect(page.getByRole("heading", { name: "Sign in with your password" })).toBeVisible();
  await expect(page.getByText(/this phone is then signed in, and can approve/)).toBeVisible();
  await page.getByLabel("Username").fill("alice");
  await page.getByLabel("Password", { exact: true }).fill("wonderland");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(`${app.url}/`);
  await expect(page.getByText("Signed in as Alice Liddell")).toBeVisible();

  await page.goto("/m");
  await expect(page.getByRole("heading", { name: phone.words.home.title })).toBeVisible();
  await expect(
    page.getByRole("heading", { name: /Open this on your phone|signed in as a computer/ }),
  ).toHaveCount(0);

  // It is an approver: it scans the computer's code and signs the computer in.
  await phone.openScan(await desktop.readQr());
  await phone.approve();
  await desktop.signedInAs("Alice Liddell");
});

test("a phone holding a computer's session gets a way out on /m: sign out and sign in as this phone", async ({
  browser,
  app,
}) => {
  // A computer's session, as /login made it before (or as a desktop browser signs in).
  const computer = await LoginPage.open(browser, app.url);
  await computer.page.goto("/login?method=password");
  await computer.page.getByLabel("Username").fill("alice");
  await computer.page.getByLabel("Password", { exact: true }).fill("wonderland");
  await computer.page.getByRole("button", { name: "Sign in" }).click();
  await computer.expectSignedIn("Alice Liddell");
  const cookies = await computer.page.context().cookies();
  await computer.close();

  const phone = await PhoneApp.open(browser, app.url, PHONE);
  await phone.page.context().addCookies(cookies);
  await phone.page.goto("/m");
  await expect(
    phone.page.getByRole("heading", { name: "This phone is signed in as a computer" }),
  ).toBeVisible();
  await phone.page.getByRole("button", { name: "Sign out and sign in as this phone" }).click();
  await phone.fillSignIn("alice", "wonderland");
  await expect(phone.page.getByRole("heading", { name: phone.words.home.title })).toBeVisible();
});

test("a computer still gets a computer's session from /login, and /m tells it to use the phone", async ({
  browser,
  app,
}) => {
  const computer = await LoginPage.open(browser, app.url);
  try {
    const page = computer.page;
    await page.goto("/login?method=password");
    await page.getByLabel("Username").fill("alice");
    await page.getByLabel("Password", { exact: true }).fill("wonderland");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(`${app.url}/`);
    await page.goto("/m");
    await expect(page.getByRole("heading", { name: "Open this on your phone" })).toBeVisible();
    await expect(page.getByRole("button", { name: /sign in as this phone/ })).toHaveCount(0);
  } finally {
    await computer.close();
  }
});

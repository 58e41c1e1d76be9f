import { axeViolations } from "./axe";
import { expect, test } from "./fixtures";
import { LoginPage } from "./pages";

/** A desktop browser no other test uses, so its session is easy to tell apart on the phone. */
const EDGE_ON_WINDOWS =
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0";
const DEVICE = "Microsoft Edge 131 on Windows";

test("the phone signs a computer out from /m/sessions; the computer's next page is signed out", async ({
  browser,
  app,
  newPhone,
}) => {
  const desktop = await LoginPage.open(browser, app.url, { userAgent: EDGE_ON_WINDOWS });
  try {
    await desktop.goto();
    const phone = await newPhone();
    await phone.signIn("alice", "wonderland");
    await phone.openScan(await desktop.readQr());
    await phone.approve();
    await desktop.signedInAs("Alice Liddell");

    await phone.page.goto("/m");
    await phone.page.getByRole("link", { name: "Your devices" }).click();
    const computer = phone.signedInDevice(DEVICE);
    await expect(computer).toBeVisible();
    await expect(computer.getByRole("definition").first()).toHaveText(
      "Computer, signed in by QR code",
    );
    await expect(computer.getByRole("definition").nth(1)).toHaveText("127.0.0.1");
    // This phone is listed and marked, with no sign-out button of its own.
    const self = phone.page.getByRole("listitem").filter({ hasText: "This device" });
    await expect(self).toHaveCount(1);
    await expect(self.getByRole("button")).toHaveCount(0);
    expect(await axeViolations(phone.page)).toEqual([]);

    // A computer is never an approver: its /m pages send it to the phone.
    const scan = await desktop.page.context().newPage();
    await scan.goto(`/m/scan/${"A".repeat(24)}`);
    await expect(scan.getByRole("heading", { name: "Open this on your phone" })).toBeVisible();
    await expect(scan.getByRole("button", { name: "Approve" })).toHaveCount(0);
    await scan.close();

    // Named with when and where it signed in (two of one model would read alike otherwise).
    const signOut = computer.getByRole("button", {
      name: new RegExp(`^Sign out ${DEVICE}, signed in .+, On your local network$`),
    });
    await signOut.click();
    await expect(phone.page.getByRole("status")).toHaveText(`${DEVICE} is signed out.`);
    await expect(phone.signedInDevice(DEVICE)).toHaveCount(0);

    await desktop.page.goto("/");
    await expect(desktop.page.getByText("You are not signed in.")).toBeVisible();
    await expect(desktop.page.getByRole("link", { name: "Sign in with your phone" })).toBeVisible();

    await phone.page.goto("/m/activity");
    const latest = phone.page.getByRole("list", { name: "Recent activity" }).getByRole("listitem");
    await expect(latest.first().getByRole("heading")).toHaveText("Signed a computer out");
    await expect(latest.nth(1).getByRole("heading")).toHaveText("Signed in on a computer");
    await expect(latest.first()).toContainText(DEVICE);
    expect(await axeViolations(phone.page)).toEqual([]);
  } finally {
    await desktop.close();
  }
});

test("a phone signs a second phone out from /m/sessions; that phone's next page is signed out", async ({
  newPhone,
}) => {
  const first = await newPhone();
  await first.signIn("carol", "carol-pass");
  const second = await newPhone();
  await second.signIn("carol", "carol-pass");

  await first.page.goto("/m/sessions");
  const other = first.page
    .getByRole("list", { name: "Signed-in devices" })
    .getByRole("listitem")
    .filter({ hasNotText: "This device" })
    .filter({ hasText: "Phone, signed in with password" });
  await expect(other).toHaveCount(1);
  const name = (await other.getByRole("heading").textContent())?.trim() ?? "";
  await other.getByRole("button", { name: new RegExp(`^Sign out ${name}, signed in `) }).click();
  await expect(first.page.getByRole("status")).toHaveText(`${name} is signed out.`);

  await second.page.goto("/m");
  await expect(second.page.getByRole("heading", { name: "Sign in on your phone" })).toBeVisible();
  // The phone that signed it out is still signed in.
  await first.page.goto("/m");
  await expect(
    first.page.getByRole("heading", { name: "Scan a QR code with your camera" }),
  ).toBeVisible();
});

test("“This wasn't me” on the confirm screen declines and goes into the history", async ({
  desktop,
  newPhone,
}) => {
  const phone = await newPhone();
  await phone.signIn("bob", "builder");
  await phone.openScan(await desktop.readQr());
  await expect(phone.confirmHeading).toBeVisible();
  await phone.page.getByRole("button", { name: "This wasn't me" }).click();
  await expect(phone.page.getByRole("heading", { name: "Reported and declined" })).toBeVisible();
  await expect(desktop.status).toHaveText("Login declined on the phone");

  await phone.page.getByRole("link", { name: "security history" }).click();
  await expect(
    phone.page.getByRole("heading", { name: "Reported a sign-in request as not yours" }).first(),
  ).toBeVisible();
});

test("/m/sessions: a computer signed in by password is a computer; each row says when and where it signed in; focus goes to what happened after Sign out", async ({
  browser,
  app,
  newPhone,
}) => {
  const desktop = await LoginPage.open(browser, app.url, { userAgent: EDGE_ON_WINDOWS });
  try {
    await desktop.page.goto("/login?method=password");
    await desktop.page.getByLabel("Username").fill("bob");
    await desktop.page.getByLabel("Password", { exact: true }).fill("builder");
    await desktop.page.getByRole("button", { name: "Sign in" }).click();
    await desktop.page.waitForURL(`${app.url}/`);

    const first = await newPhone();
    await first.signIn("bob", "builder");
    const second = await newPhone();
    await second.signIn("bob", "builder");
    await first.page.goto("/m/sessions");

    const computer = first.signedInDevice(DEVICE);
    await expect(computer.getByRole("definition").first()).toHaveText(
      "Computer, signed in with password",
    );
    // The other phone reads like this one ("Chrome … on Android …"): its row and its
    // button carry its own sign-in time (as it sees it itself) and place.
    await second.page.goto("/m/sessions");
    const secondTime = second.page
      .getByRole("listitem")
      .filter({ hasText: "This device" })
      .locator("time")
      .first();
    // In the phone's own time zone once the page is live (the server's UTC before that).
    await expect(secondTime).not.toContainText("UTC");
    const secondWhen = (await secondTime.textContent()) ?? "";
    expect(secondWhen).toMatch(/\d:\d\d:\d\d/);
    const other = first.page
      .getByRole("list", { name: "Signed-in devices" })
      .getByRole("listitem")
      .filter({ hasNotText: "This device" })
      .filter({ hasText: "Phone, signed in with password" })
      .filter({ hasText: secondWhen });
    await expect(other).toHaveCount(1);
    const name = (await other.getByRole("heading").textContent())?.trim() ?? "";
    const self = first.page.getByRole("listitem").filter({ hasText: "This device" });
    await expect(self.getByRole("heading")).toContainText(name);
    await expect(other.getByRole("definition").nth(2)).toHaveText("On your local network");
    const when = secondWhen;
    const signOut = other.getByRole("button", {
      name: `Sign out ${name}, signed in ${when}, On your local network`,
      exact: true,
    });
    await expect(signOut).toBeVisible();

    await signOut.click();
    const done = first.page.getByRole("status");
    await expect(done).toHaveText(`${name} is signed out.`);
    await expect(done).toBeFocused();
    await expect(other).toHaveCount(0);
    await expect(done).toBeFocused();
  } finally {
    await desktop.close();
  }
});

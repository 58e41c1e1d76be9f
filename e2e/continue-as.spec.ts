import { axeViolations } from "./axe";
import { expect, test } from "./fixtures";
import type { LoginPage } from "./pages";

/**
 * Login CSRF (issue 21.2): someone reads the code off another person's
 * screen and approves it with their own account. That desktop is never
 * signed in to an account new to its browser without a word: it asks
 * "Continue as …?"; "This isn't me" ends it and the phone is told. An account
 * that signed in on this browser before signs in at once.
 */

/** Every claim the desktop sends (next-auth's `qr` callback). */
function claimsOf(desktop: LoginPage) {
  const claims: string[] = [];
  desktop.page.on("request", (r) => {
    if (r.url().includes("/api/auth/callback/qr")) claims.push(r.postData() ?? "");
  });
  return claims;
}

const session = async (desktop: LoginPage) =>
  (await desktop.page.request.get("/api/auth/session")).json();

test("someone else's account approves: the desktop asks, signs nothing in, and This isn't me ends it", async ({
  desktop,
  newPhone,
}) => {
  const claims = claimsOf(desktop);
  // Bob reads the code off the screen and approves it with his own account.
  const bob = await newPhone();
  await bob.signIn("bob", "builder");
  await bob.enterCode((await desktop.userCode.textContent()) ?? "");
  await bob.approve();

  const question = desktop.continueQuestion("Bob Martin");
  await expect(question).toBeVisible();
  await expect(question).toBeFocused();
  await expect(desktop.page.getByText("signed in as “bob”")).toBeVisible();
  await expect(desktop.page.getByText(/Answer within/)).toBeVisible();
  await expect(desktop.page.getByRole("button", { name: "Continue", exact: true })).toBeVisible();
  expect(await axeViolations(desktop.page)).toEqual([]);
  // Bob's phone says the computer is asking, not that it is signed in.
  await expect(
    bob.page.getByText(/the computer asks its user whether to continue as you/),
  ).toBeVisible();
  // Nothing was claimed: no session here.
  expect(claims).toEqual([]);
  expect(await session(desktop)).toEqual({});
  await expect(desktop.page).toHaveURL(/\/login$/);

  const refused = desktop.page.waitForResponse((r) => r.url().endsWith("/refuse"));
  await desktop.refuse("Bob Martin");
  expect((await refused).status()).toBe(204);
  await expect(desktop.status).toHaveText(
    "Not signed in: you turned that account down, and its phone was told. Get a new code to sign in with your own phone.",
  );
  await expect(desktop.page.getByRole("button", { name: "Get a new code" })).toBeFocused();
  await expect(question).toHaveCount(0);
  expect(claims).toEqual([]);
  expect(await session(desktop)).toEqual({});
  expect(await axeViolations(desktop.page)).toEqual([]);

  // The phone is told, and it is in Bob's history.
  const told = bob.page.getByRole("heading", {
    name: "Not signed in: the computer turned your account down",
  });
  await expect(told).toBeVisible();
  expect(await axeViolations(bob.page)).toEqual([]);
  await bob.page.getByRole("link", { name: "Open your security history" }).click();
  await expect(
    bob.page.getByRole("heading", { name: "Turned down on a computer (“This isn't me”)" }),
  ).toBeVisible();
});

test("Continue signs in as the account that approved, and only then", async ({
  desktop,
  newPhone,
}) => {
  const claims = claimsOf(desktop);
  const phone = await newPhone();
  await phone.signIn("bob", "builder");
  await phone.openScan(await desktop.readQr());
  await phone.approve();
  await expect(desktop.continueQuestion("Bob Martin")).toBeVisible();
  expect(claims).toEqual([]);
  await desktop.signedInAs("Bob Martin");
  expect(claims.length).toBeGreaterThan(0);
  expect(new URLSearchParams(claims[0]).get("continueAs")).toBe("bob");
  await expect(phone.signedInHeading).toBeVisible();
});

test("an account that signed in on this browser before signs in at once; another account is still asked", async ({
  desktop,
  newPhone,
}) => {
  test.setTimeout(60_000);
  const alice = await newPhone();
  await alice.signIn("alice", "wonderland");
  await alice.openScan(await desktop.readQr());
  await alice.approve();
  await desktop.signedInAs("Alice Liddell");
  await desktop.page.getByRole("button", { name: "Sign out" }).click();
  await expect(desktop.page.getByRole("link", { name: "Sign in with your phone" })).toBeVisible();

  // The same browser again: no question, signed in as soon as Alice approves.
  await desktop.goto();
  // The confirmed status, read as it arrives (the page navigates away right after it).
  let confirmed: { continueRequired?: boolean } | undefined;
  const asked = desktop.page.waitForResponse(async (r) => {
    if (!/\/api\/qr\/[A-Za-z0-9_-]{24}(\?|$)/.test(r.url())) return false;
    const body = await r.json().catch(() => null);
    if (body?.state !== "confirmed") return false;
    confirmed = body;
    return true;
  });
  await alice.openScan(await desktop.readQr());
  await alice.approve();
  await asked;
  expect(confirmed).toBeDefined();
  expect(confirmed?.continueRequired).toBeUndefined();
  await desktop.expectSignedIn("Alice Liddell");
  await expect(desktop.continueQuestion("Alice Liddell")).toHaveCount(0);
  await desktop.page.getByRole("button", { name: "Sign out" }).click();
  await expect(desktop.page.getByRole("link", { name: "Sign in with your phone" })).toBeVisible();

  // Bob has never signed in here: asked, whoever else did.
  await desktop.goto();
  const bob = await newPhone();
  await bob.signIn("bob", "builder");
  await bob.openScan(await desktop.readQr());
  await bob.approve();
  await expect(desktop.continueQuestion("Bob Martin")).toBeVisible();
  await expect(desktop.page).toHaveURL(/\/login$/);
});

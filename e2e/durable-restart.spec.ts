import type { Browser, CDPSession } from "@playwright/test";
import { newDataDir, type OwnAppServer, startApp, TEST_USERS } from "../tests/support/app-server";
import { SoftAuthenticator } from "../tests/support/authenticator";
import { signInNative } from "../tests/support/http-client";
import { freePort } from "../tests/support/redis-server";
import { axeViolations } from "./axe";
import { expect, test } from "./fixtures";
import { LoginPage, PhoneApp } from "./pages";

/**
 * The embedded database is the system of record: a passkey outlives a
 * restart of the server, and a lost one is recovered with a recovery code.
 * Each test runs its own app on the embedded store and a PGlite folder of
 * its own, on http://localhost (WebAuthn refuses IP addresses).
 */
const USERS = `${TEST_USERS},rex:passkey-rex:Passkey Rex,lou:lost-lou:Lost Lou,nia:no-js-nia:Nia`;

// Each test starts (and restarts) an app on a PGlite folder: slower than a page's steps.
test.describe.configure({ timeout: 180_000 });

async function embeddedApp(dataDir: string, port: number): Promise<OwnAppServer> {
  const url = `http://localhost:${port}`;
  return startApp({
    QRL_STORE: "memory",
    QRL_DATA_DIR: dataDir,
    PORT: String(port),
    PUBLIC_URL: url,
    NEXTAUTH_URL: url,
    QRL_DEMO_USERS: USERS,
    QRL_POLL_INTERVAL_MS: "400",
  });
}

/** An app on a new PGlite folder, and its http://localhost origin. */
async function freshEmbeddedApp() {
  const port = await freePort();
  const app = await embeddedApp(await newDataDir(), port);
  return { app, base: `http://localhost:${port}` };
}

/** Chromium's virtual authenticator on the phone: a platform passkey with fingerprint/PIN. */
async function virtualPasskey(phone: PhoneApp) {
  const cdp: CDPSession = await phone.page.context().newCDPSession(phone.page);
  await cdp.send("WebAuthn.enable");
  const { authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: {
      protocol: "ctap2",
      transport: "internal",
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  return {
    credentials: async () =>
      (await cdp.send("WebAuthn.getCredentials", { authenticatorId })).credentials,
  };
}

/** Adds the account's first passkey on /m/security (the password again first); returns the recovery codes shown. */
async function addFirstPasskey(phone: PhoneApp, password: string): Promise<string[]> {
  await phone.page.goto("/m/security");
  await phone.page.getByLabel("Name for a new passkey").fill("Pixel");
  await phone.page.getByRole("button", { name: "Add a passkey" }).click();
  const reauth = phone.page.getByRole("form", { name: "Enter your password to continue" });
  await reauth.getByLabel("Password").fill(password);
  await reauth.getByRole("button", { name: "Continue" }).click();
  await expect(phone.page.getByRole("status")).toHaveText(
    "Passkey added. From now on, approving a sign-in asks for it.",
  );
  const list = phone.page.getByRole("list", { name: "Your recovery codes" });
  await expect(list.getByRole("listitem")).toHaveCount(10);
  const codes = await list.getByRole("listitem").allInnerTexts();
  expect(await axeViolations(phone.page)).toEqual([]);
  await phone.page.getByRole("button", { name: "I have saved them" }).click();
  await expect(list).toBeHidden();
  await expect(phone.page.getByText("10 unused recovery codes left.")).toBeVisible();
  return codes.map((c) => c.trim());
}

async function desktopOn(browser: Browser, url: string) {
  const desktop = await LoginPage.open(browser, url);
  await desktop.goto();
  return desktop;
}

test("a passkey added before a restart on the embedded database approves a QR login after it; a single passkey is nudged toward a second", async ({
  browser,
}) => {
  const dataDir = await newDataDir();
  const port = await freePort();
  const base = `http://localhost:${port}`;
  let app = await embeddedApp(dataDir, port);
  try {
    const phone = await PhoneApp.open(browser, base);
    const passkey = await virtualPasskey(phone);
    await phone.signIn("rex", "passkey-rex");
    await addFirstPasskey(phone, "passkey-rex");
    expect(await passkey.credentials()).toHaveLength(1);

    // Restart on the same data folder: the store (memory) forgets the sessions, the database keeps the rest.
    await app.stop();
    app = await embeddedApp(dataDir, port);

    await phone.signIn("rex", "passkey-rex");
    // One passkey: a gentle prompt for a second, on Security and the home, until "Not now".
    const nudge = phone.page.getByText(
      "Add a second passkey so you can still approve if you lose this phone.",
    );
    await phone.page.goto("/m/security");
    await expect(nudge).toBeVisible();
    await phone.page.goto("/m");
    await expect(nudge).toBeVisible();
    await expect(phone.page.getByRole("link", { name: "Add a second passkey" })).toHaveAttribute(
      "href",
      "/m/security#passkey-name",
    );
    await phone.page.getByRole("button", { name: "Not now" }).click();
    await expect(nudge).toBeHidden();
    await phone.page.reload();
    await expect(
      phone.page.getByRole("heading", { name: "Scan a QR code with your camera" }),
    ).toBeVisible();
    await expect(nudge).toBeHidden();
    await phone.page.goto("/m/security");
    await expect(phone.page.getByRole("heading", { name: "Security: passkeys" })).toBeVisible();
    await expect(nudge).toBeHidden();

    const desktop = await desktopOn(browser, base);
    await phone.openScan(await desktop.readQr());
    await expect(phone.confirmHeading).toBeVisible();
    // The passkey is still required and still approves.
    const ticketId = new URL(phone.page.url()).pathname.split("/").pop() ?? "";
    const plain = await phone.page.evaluate(async (id) => {
      const res = await fetch(`/api/qr/${id}/confirm`, { method: "POST" });
      return { status: res.status, body: await res.json() };
    }, ticketId);
    expect(plain).toMatchObject({ status: 403, body: { error: { code: "passkey_required" } } });
    await phone.approve();
    await desktop.signedInAs("Passkey Rex");
    const [credential] = await passkey.credentials();
    expect(credential?.signCount).toBeGreaterThanOrEqual(1);
    await desktop.close();
    await phone.close();
  } finally {
    await app.stop();
  }
});

test("lost passkey: the password and a recovery code lift the requirement, sign the old phone out, and the new phone approves", async ({
  browser,
}) => {
  const { app, base } = await freshEmbeddedApp();
  try {
    // The old phone: its passkey, its recovery codes.
    const old = await PhoneApp.open(browser, base);
    await virtualPasskey(old);
    await old.signIn("lou", "lost-lou");
    const codes = await addFirstPasskey(old, "lost-lou");

    // A new phone without the passkey: approving is blocked, and the way out is linked there.
    // (Its authenticator holds no passkey of this account.)
    const phone = await PhoneApp.open(browser, base);
    await virtualPasskey(phone);
    await phone.signIn("lou", "lost-lou");
    const desktop = await desktopOn(browser, base);
    await phone.openScan(await desktop.readQr());
    await phone.page.getByRole("button", { name: "Approve" }).click();
    const lost = phone.page.getByRole("link", { name: "Lost your passkey? Use a recovery code" });
    await expect(lost).toBeVisible();
    await lost.click();

    // A wrong code is refused in words and changes nothing; a right one recovers.
    await phone.page.getByLabel("Username").fill("lou");
    await phone.page.getByLabel("Password").fill("lost-lou");
    await phone.page.getByLabel("Recovery code").fill("22222-22222");
    await phone.page.getByRole("button", { name: "Recover my account" }).click();
    await expect(phone.page.getByRole("main").getByRole("alert")).toHaveText(
      "That username, password and recovery code do not go together. Check each and try again; each code works only once.",
    );
    await expect(phone.page.getByLabel("Username")).toHaveValue("lou");
    await phone.page.getByLabel("Password").fill("lost-lou");
    await phone.page.getByLabel("Recovery code").fill((codes[0] as string).toLowerCase());
    await phone.page.getByRole("button", { name: "Recover my account" }).click();
    const done = phone.page.getByRole("main").getByRole("status");
    await expect(done.getByRole("heading")).toHaveText("Your account is recovered");
    await expect(done).toContainText("Your passkey was removed.");
    await expect(done).toContainText("One other device was signed out.");
    await expect(done).toContainText("You have 9 recovery codes left.");
    await expect(done).toContainText("This phone stays signed in.");
    expect(await axeViolations(phone.page)).toEqual([]);

    // The old phone is signed out; its history says what happened.
    await old.page.goto("/m");
    await expect(old.page.getByRole("heading", { name: "Sign in on your phone" })).toBeVisible();
    await old.signIn("lou", "lost-lou");
    // Its home tells it (the phone that recovered is not told: it was there).
    const changes = old.page.getByRole("list", { name: "Changes made from your other devices" });
    await expect(changes).toContainText(
      /Your account was recovered with a recovery code .+: its passkeys were removed and your other devices signed out\./,
    );
    await old.page.goto("/m/activity");
    await expect(
      old.page.getByRole("heading", {
        name: "Recovered the account with a recovery code (passkeys removed, other devices signed out)",
      }),
    ).toBeVisible();

    // The new phone approves without a passkey now.
    await desktop.goto();
    await phone.openScan(await desktop.readQr());
    await phone.approve();
    await desktop.signedInAs("Lost Lou");
    await desktop.close();
    await phone.close();
    await old.close();
  } finally {
    await app.stop();
  }
});

test("without JavaScript: the second-passkey prompt, new recovery codes on Security for the password, and a recovery on /m/recover", async ({
  browser,
}) => {
  const { app, base } = await freshEmbeddedApp();
  try {
    // Nia's passkey (a native app's, through the API), whose answer carried her first codes.
    const { client } = await signInNative(app.url, "nia", "no-js-nia");
    const key = new SoftAuthenticator({ id: "localhost", origin: base });
    await client.fetch("/api/passkeys/reauth", { method: "POST", json: { password: "no-js-nia" } });
    const options = await (
      await client.fetch("/api/passkeys/registration/begin", { method: "POST", json: {} })
    ).json();
    const finish = await client.fetch("/api/passkeys/registration/finish", {
      method: "POST",
      json: { response: key.create(options), name: "Nia's app" },
    });
    const { recoveryCodes: first } = (await finish.json()) as { recoveryCodes: string[] };
    expect(first).toHaveLength(10);

    // Security, JavaScript off: ten new codes for the password (a wrong one refused in words).
    const phone = await PhoneApp.open(browser, base, { javaScriptEnabled: false });
    await phone.signIn("nia", "no-js-nia");
    await phone.page.goto("/m/security");
    // Her single passkey's prompt: "Not now" is a plain form too.
    const nudge = phone.page.getByText("Add a second passkey so you can still approve");
    await expect(nudge).toBeVisible();
    await phone.page.getByRole("button", { name: "Not now" }).click();
    await expect(phone.page).toHaveURL(`${base}/m/security`);
    await expect(nudge).toBeHidden();
    await expect(phone.page.getByText("10 unused recovery codes left.")).toBeVisible();
    await phone.page.getByLabel("Password").fill("not-nias");
    await phone.page.getByRole("button", { name: "Make new recovery codes" }).click();
    await expect(phone.page.getByRole("main").getByRole("alert")).toHaveText(
      "That password is not right. Nothing changed; your old codes still work.",
    );
    await phone.page.getByLabel("Password").fill("no-js-nia");
    await phone.page.getByRole("button", { name: "Make new recovery codes" }).click();
    const list = phone.page.getByRole("list", { name: "Your recovery codes" });
    await expect(list.getByRole("listitem")).toHaveCount(10);
    const renewed = (await list.getByRole("listitem").allInnerTexts()).map((c) => c.trim());
    expect(renewed.some((c) => first.includes(c))).toBe(false);

    // Another phone, JavaScript off, signed out: from the sign-in page to /m/recover.
    const lost = await PhoneApp.open(browser, base, { javaScriptEnabled: false });
    await lost.page.goto("/m");
    await lost.page.getByRole("link", { name: "Lost your passkey? Use a recovery code" }).click();
    const submit = async (code: string) => {
      await lost.page.getByLabel("Username").fill("nia");
      await lost.page.getByLabel("Password").fill("no-js-nia");
      await lost.page.getByLabel("Recovery code").fill(code);
      await lost.page.getByRole("button", { name: "Recover my account" }).click();
    };
    // A code from before the renewal no longer works.
    await submit(first[0] as string);
    await expect(lost.page.getByRole("main").getByRole("alert")).toHaveText(
      "That username, password and recovery code do not go together. Check each and try again; each code works only once.",
    );
    await submit(renewed[0] as string);
    const done = lost.page.getByRole("main").getByRole("status");
    await expect(done.getByRole("heading")).toHaveText("Your account is recovered");
    await expect(done).toContainText("Your passkey was removed.");
    await expect(done).toContainText("2 other devices were signed out.");
    await expect(done).toContainText(
      "Sign in on your phone, then add a new passkey under Security.",
    );
    expect((await client.fetch("/api/passkeys")).status).toBe(401);
    await phone.close();
    await lost.close();
  } finally {
    await app.stop();
  }
});

import type { CDPSession } from "@playwright/test";
import * as client from "openid-client";
import { TEST_USERS } from "../tests/support/app-server";
import { axeViolations } from "./axe";
import { expect, testWithOwnApp } from "./fixtures";
import type { PhoneApp } from "./pages";

/**
 * This file's own app, with a user of its own (other specs' users never get
 * a passkey). WebAuthn refuses IP addresses as a relying party, so the app's
 * public URL, and every page here, is on http://localhost.
 */
const test = testWithOwnApp(
  {
    QRL_DEMO_USERS: `${TEST_USERS},pia:passkey-pia:Passkey Pia,tia:passkey-tia:Passkey Tia`,
    QRL_POLL_INTERVAL_MS: "400",
    // A command line's device grant (the last test): an OpenID Connect client.
    OIDC_CLIENTS: JSON.stringify([
      { client_id: "cli", client_name: "Example CLI", public: true, first_party: true },
    ]),
  },
  { localhost: true },
);

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
    signCount: async () =>
      (await cdp.send("WebAuthn.getCredentials", { authenticatorId })).credentials[0]?.signCount ??
      -1,
    setUserVerified: (isUserVerified: boolean) =>
      cdp.send("WebAuthn.setUserVerified", { authenticatorId, isUserVerified }),
  };
}

test("register a passkey, approve with it; without the assertion, or unverified, the approval is refused", async ({
  desktop,
  newPhone,
}) => {
  const phone = await newPhone();
  const passkey = await virtualPasskey(phone);
  await phone.signIn("pia", "passkey-pia");

  // Register: the phone's Security page, the browser's own WebAuthn prompt (answered by the authenticator).
  await phone.page.getByRole("link", { name: "Security: passkeys" }).click();
  await expect(phone.page.getByText("You have no passkey yet.")).toBeVisible();
  await phone.page.getByLabel("Name for a new passkey").fill("Pixel");
  await phone.page.getByRole("button", { name: "Add a passkey" }).click();
  // The first passkey needs the password again (a stolen session alone cannot add one):
  // a wrong one is refused in words and changes nothing, the right one goes on with the change.
  const reauth = phone.page.getByRole("form", { name: "Enter your password to continue" });
  await reauth.getByLabel("Password").fill("not-her-password");
  await reauth.getByRole("button", { name: "Continue" }).click();
  await expect(reauth.getByRole("alert")).toHaveText(
    "That password is not right. Nothing changed; try again.",
  );
  expect(await passkey.credentials()).toHaveLength(0);
  await reauth.getByLabel("Password").fill("passkey-pia");
  await reauth.getByRole("button", { name: "Continue" }).click();
  await expect(phone.page.getByRole("status")).toHaveText(
    "Passkey added. From now on, approving a sign-in asks for it.",
  );
  await expect(
    phone.page.getByRole("list", { name: "Your passkeys" }).getByRole("heading", { name: "Pixel" }),
  ).toBeVisible();
  expect(await passkey.credentials()).toHaveLength(1);

  // Without the assertion: the plain approve (this phone's own session cookie) is refused.
  await phone.openScan(await desktop.readQr());
  await expect(phone.confirmHeading).toBeVisible();
  const ticketId = new URL(phone.page.url()).pathname.split("/").pop() ?? "";
  const refused = await phone.page.evaluate(async (id) => {
    const res = await fetch(`/api/qr/${id}/confirm`, { method: "POST" });
    return { status: res.status, body: await res.json() };
  }, ticketId);
  expect(refused).toMatchObject({ status: 403, body: { error: { code: "passkey_required" } } });
  await expect(desktop.status).toHaveText("Scanned by Passkey Pia — confirm on your phone");

  // The authenticator cannot verify the person: not approved, and the phone says what to do.
  await passkey.setUserVerified(false);
  await phone.page.getByRole("button", { name: "Approve" }).click();
  await expect(phone.page.getByRole("alert").getByRole("heading")).toHaveText(
    /^(Approval needs your passkey|Your passkey could not be checked)$/,
  );
  await expect(desktop.status).toHaveText("Scanned by Passkey Pia — confirm on your phone");

  // Verified: Try again, Approve, and the computer is signed in.
  await passkey.setUserVerified(true);
  await phone.page.getByRole("button", { name: "Try again" }).click();
  await phone.approve();
  await desktop.signedInAs("Passkey Pia");
  const [credential] = await passkey.credentials();
  expect(credential?.signCount).toBeGreaterThanOrEqual(1);
});

test("a passkey-only account approves a command line's device grant with its passkey on the phone (S80)", async ({
  app,
  newPhone,
}) => {
  const phone = await newPhone();
  const passkey = await virtualPasskey(phone);

  // Tia adds a passkey (her password again first): from now on she approves only with it.
  await phone.signIn("tia", "passkey-tia");
  await phone.page.getByRole("link", { name: "Security: passkeys" }).click();
  await phone.page.getByLabel("Name for a new passkey").fill("Pixel");
  await phone.page.getByRole("button", { name: "Add a passkey" }).click();
  const reauth = phone.page.getByRole("form", { name: "Enter your password to continue" });
  await reauth.getByLabel("Password").fill("passkey-tia");
  await reauth.getByRole("button", { name: "Continue" }).click();
  await expect(phone.page.getByRole("status")).toHaveText(
    "Passkey added. From now on, approving a sign-in asks for it.",
  );
  const before = await passkey.signCount();

  const config = await client.discovery(
    new URL(`${app.url}/oidc`),
    "cli",
    undefined,
    client.None(),
    { execute: [client.allowInsecureRequests] },
  );
  const device = await client.initiateDeviceAuthorization(config, { scope: "openid profile" });
  const polled = client.pollDeviceAuthorizationGrant(config, device);

  // The provider's confirm screen, then the passkey step: its script asks the authenticator.
  await phone.page.goto(device.verification_uri_complete ?? "");
  await phone.page.getByRole("button", { name: "Approve" }).click();
  await expect(
    phone.page.getByRole("heading", { name: "Approve Example CLI with your passkey" }),
  ).toBeVisible();
  expect(await axeViolations(phone.page)).toEqual([]);
  await phone.page.getByRole("button", { name: "Approve with passkey" }).click();
  await expect(phone.page.getByText("Done: Example CLI is signed in.")).toBeVisible();

  const tokens = await polled;
  expect(tokens.claims()).toMatchObject({ name: "Passkey Tia", preferred_username: "tia" });
  // The passkey really signed (its counter moved).
  expect(await passkey.signCount()).toBeGreaterThan(before);
});

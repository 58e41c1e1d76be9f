import type { CDPSession } from "@playwright/test";
import * as client from "openid-client";
import { TEST_USERS } from "../tests/support/app-server";
import { axeViolations } from "./axe";
import { expect, testWithOwnApp } from "./fixtures";

/**
 * The device grant for an account that approves only with a passkey (S80),
 * in a real browser: the phone's Approve leads to the passkey step, whose
 * script asks Chromium's virtual authenticator, and the device's poll gets
 * the ID token. WebAuthn refuses IP addresses: the app is on localhost.
 */
const test = testWithOwnApp(
  {
    QRL_DEMO_USERS: `${TEST_USERS},tia:passkey-tia:Passkey Tia`,
    OIDC_CLIENTS: JSON.stringify([
      { client_id: "cli", client_name: "Example CLI", public: true, first_party: true },
    ]),
  },
  { localhost: true },
);

test("a passkey-only account approves a command line's device grant with its passkey on the phone", async ({
  app,
  newPhone,
}) => {
  test.setTimeout(90_000);
  const phone = await newPhone();
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
  const signCount = async () =>
    (await cdp.send("WebAuthn.getCredentials", { authenticatorId })).credentials[0]?.signCount ??
    -1;

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
  const before = await signCount();

  const config = await client.discovery(
    new URL(`${app.url}/oidc`),
    "cli",
    undefined,
    client.None(),
    {
      execute: [client.allowInsecureRequests],
    },
  );
  const device = await client.initiateDeviceAuthorization(config, { scope: "openid profile" });
  const polled = client.pollDeviceAuthorizationGrant(config, device);

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
  expect(await signCount()).toBeGreaterThan(before);
});

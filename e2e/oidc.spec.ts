import * as client from "openid-client";
import { startApp } from "../tests/support/app-server";
import { exampleClient, examplePort, startExampleApp } from "../tests/support/example-app";
import { startRedis } from "../tests/support/redis-server";
import { axeViolations } from "./axe";
import { type App, test as base, expect } from "./fixtures";
import { ExampleAppPage, LoginPage, PhoneApp } from "./pages";

interface Servers {
  app: App;
  /** examples/express-app, declared to this QR login as the first-party client "example". */
  example: { url: string };
}

/** This file's own QR login with the example app declared as a client, and the example app. */
const test = base.extend<object, { servers: Servers; app: App }>({
  servers: [
    // biome-ignore lint/correctness/noEmptyPattern: Playwright fixtures must destructure
    async ({}, use) => {
      const redis = await startRedis();
      const port = await examplePort();
      const app = await startApp({
        REDIS_URL: redis.url,
        OIDC_CLIENTS: JSON.stringify([
          exampleClient(port),
          { client_id: "cli", client_name: "Example CLI", public: true, first_party: true },
          // Not first-party: asks for consent (the consent page's look and axe run).
          {
            client_id: "other",
            client_name: "Other App",
            client_secret: "other-secret-0123456789",
            redirect_uris: [`http://127.0.0.1:${port}/callback`],
          },
        ]),
      });
      const example = await startExampleApp(`${app.url}/oidc`, port);
      await use({ app: { url: app.url }, example: { url: example.url } });
      await example.stop();
      await app.stop();
      await redis.stop();
    },
    // Two servers and a Redis: more than a test's 30 s on a busy 2-core machine.
    { scope: "worker", timeout: 90_000 },
  ],
  app: [async ({ servers }, use) => use(servers.app), { scope: "worker" }],
});

test("an app signs in with OpenID Connect: our /login names it, the phone approves, the app shows the verified ID token's name; signed out from the phone, the app is told (back-channel logout)", async ({
  browser,
  servers,
  newPhone,
}) => {
  const example = await ExampleAppPage.open(browser, servers.example.url);
  await example.startSignIn();
  const desktop = new LoginPage(example.page, servers.app.url);
  await expect(desktop.page.getByRole("heading", { name: "Sign in to ExampleApp" })).toBeVisible();
  await expect(desktop.status).toHaveText("Scan with your phone's camera");

  const phone = await newPhone();
  await phone.signIn("alice", "wonderland");
  await phone.openScan(await desktop.readQr());
  await expect(phone.confirmHeading).toBeVisible();
  await expect(
    phone.page.getByText(
      "The computer is signing in to ExampleApp, which uses this site's sign-in.",
    ),
  ).toBeVisible();
  await phone.approve();

  await desktop.continueAs("Alice Liddell");
  await example.expectSignedIn("Signed in as Alice Liddell (alice)");
  await expect(phone.signedInHeading).toBeVisible();

  // The phone signs that computer out: the provider's back-channel logout token signs it out of the app.
  await phone.page.goto("/m/sessions");
  await phone.page.getByRole("button", { name: /^Sign out .+, signed in / }).click();
  await expect(phone.page.getByRole("status")).toHaveText(/ is signed out\.$/);
  await expect
    .poll(async () => {
      await example.page.reload();
      return example.page.getByText("You are not signed in.").isVisible();
    })
    .toBe(true);
  await example.close();
});

test("a command line's device grant: the phone types its code on /m/link, confirms on the provider's screen, the poll gets the ID token", async ({
  servers,
  newPhone,
}) => {
  const config = await client.discovery(
    new URL(`${servers.app.url}/oidc`),
    "cli",
    undefined,
    client.None(),
    { execute: [client.allowInsecureRequests] },
  );
  const device = await client.initiateDeviceAuthorization(config, { scope: "openid profile" });
  const polled = client.pollDeviceAuthorizationGrant(config, device);

  const phone = await newPhone();
  await phone.signIn("alice", "wonderland");
  await phone.enterCode(device.user_code.toLowerCase());
  await expect(
    phone.page.getByRole("heading", { name: "Sign in Example CLI on this device?" }),
  ).toBeVisible();
  await expect(
    phone.page.getByText(`Check that the device shows this code: ${device.user_code}`),
  ).toBeVisible();
  await phone.page.getByRole("button", { name: "Approve" }).click();
  await expect(phone.page.getByText("Done: Example CLI is signed in.")).toBeVisible();

  const tokens = await polled;
  expect(tokens.claims()).toMatchObject({ sub: "demo-alice", name: "Alice Liddell", aud: "cli" });
});

test("the provider's own pages (consent, device code, device confirm) look like the phone's and pass axe, in both languages", async ({
  browser,
  servers,
}) => {
  // Two phones, six pages, six axe runs: more than one flow's time on a busy machine.
  test.setTimeout(120_000);
  const words = {
    en: {
      consent: "Allow Other App to know who you are?",
      code: "Code",
      confirm: "Sign in Example CLI on this device?",
    },
    "zh-CN": {
      consent: "允许 Other App 知道你是谁？",
      code: "代码",
      confirm: "在这台设备上登录 Example CLI？",
    },
  } as const;
  const issuer = new URL(`${servers.app.url}/oidc`);
  const other = await client.discovery(issuer, "other", "other-secret-0123456789", undefined, {
    execute: [client.allowInsecureRequests],
  });
  const cli = await client.discovery(issuer, "cli", undefined, client.None(), {
    execute: [client.allowInsecureRequests],
  });
  for (const locale of ["en", "zh-CN"] as const) {
    const phone = await PhoneApp.open(browser, servers.app.url, { locale });
    await phone.signIn(
      locale === "en" ? "bob" : "carol",
      locale === "en" ? "builder" : "carol-pass",
    );
    const w = words[locale];

    // The consent page of an app that is not first-party.
    const authorize = client.buildAuthorizationUrl(other, {
      redirect_uri: `${servers.example.url}/callback`,
      scope: "openid profile",
      code_challenge: await client.calculatePKCECodeChallenge(client.randomPKCECodeVerifier()),
      code_challenge_method: "S256",
      state: client.randomState(),
    });
    await phone.page.goto(authorize.href);
    await expect(phone.page.getByRole("heading", { name: w.consent })).toBeVisible();
    await expect(phone.page.locator("main.phone section.card")).toBeVisible();
    expect(await axeViolations(phone.page)).toEqual([]);
    // Allow: the form's answer leads the browser back to the app with a code (the page's CSP lets it).
    await phone.page
      .getByRole("button", { name: locale === "en" ? "Allow" : "允许", exact: true })
      .click();
    await expect.poll(() => phone.page.url(), { timeout: 15_000 }).toMatch(/\/callback\?code=/);

    // The device grant's code page: a labelled field.
    await phone.page.goto("/oidc/device");
    await expect(phone.page.getByLabel(w.code, { exact: true })).toBeVisible();
    expect(await axeViolations(phone.page)).toEqual([]);

    // Its confirm screen, with the QR confirm's details.
    const device = await client.initiateDeviceAuthorization(cli, { scope: "openid" });
    await phone.page.goto(device.verification_uri_complete ?? "");
    await expect(phone.page.getByRole("heading", { name: w.confirm })).toBeVisible();
    await expect(phone.page.locator("dl.details")).toBeVisible();
    expect(await axeViolations(phone.page)).toEqual([]);
    await phone.close();
  }
});

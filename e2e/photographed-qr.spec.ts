import { expect, test } from "./fixtures";
import { ticketIdOf } from "./qr";

/**
 * Someone who only photographed the QR has the ticket id but not the binding
 * cookie. Even while the ticket is confirmed (the real desktop's claim is held
 * back until the attacker is done), they get 404s and no session.
 */
test("a photographed QR never yields a session; the real desktop still signs in", async ({
  desktop,
  newPhone,
  browser,
  app,
}) => {
  const scanUrl = await desktop.readQr();
  const ticketId = ticketIdOf(scanUrl);

  let release = () => {};
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  let claimStarted = () => {};
  const claiming = new Promise<void>((resolve) => {
    claimStarted = resolve;
  });
  await desktop.page.route("**/api/auth/callback/qr*", async (route) => {
    claimStarted();
    await held;
    await route.continue();
  });

  const alice = await newPhone();
  await alice.signIn("alice", "wonderland");
  await alice.openScan(scanUrl);
  await alice.approve();
  await desktop.continueAs("Alice Liddell");
  await claiming; // the ticket is confirmed and not yet claimed

  const attacker = await browser.newContext({ baseURL: app.url });
  try {
    const api = attacker.request;
    expect((await api.get(`/api/qr/${ticketId}`)).status()).toBe(404);
    expect((await api.delete(`/api/qr/${ticketId}`)).status()).toBe(404);

    const { csrfToken } = (await (await api.get("/api/auth/csrf")).json()) as { csrfToken: string };
    expect(csrfToken).toMatch(/\w{16,}/);
    const claim = await api.post("/api/auth/callback/qr", {
      form: { csrfToken, ticketId, json: "true", callbackUrl: `${app.url}/` },
    });
    const { url } = (await claim.json()) as { url: string };
    // The CSRF token was accepted, and the provider refused: the credentials error.
    expect(new URL(url).searchParams.get("error")).toBe("CredentialsSignin");

    expect(await (await api.get("/api/auth/session")).json()).toEqual({});
    const cookies = await attacker.cookies();
    expect(cookies.filter((c) => c.name.includes("session-token"))).toEqual([]);
  } finally {
    await attacker.close();
  }

  release();
  await desktop.expectSignedIn("Alice Liddell");
});

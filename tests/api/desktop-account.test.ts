import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { HttpClient, signInNative } from "../support/http-client";
import { signedInDesktop, useStack } from "../support/stack";
import { startReceiver } from "../support/webhook-receiver";

const SECRET = `whsec_${randomBytes(32).toString("base64")}`;

/** A client address of its own for each sign-up (the sign-up limit counts per address). */
let nextIp = 1;
const ownIp = () => ({ "x-forwarded-for": `10.24.0.${nextIp++}` });

/** A new account, signed up through the API: its id and its native app (a phone session) on `url`. */
async function signedUp(url: string, username: string, password: string) {
  const res = await fetch(`${url}/api/accounts`, {
    method: "POST",
    headers: { "content-type": "application/json", ...ownIp() },
    body: JSON.stringify({ username, password }),
  });
  expect(res.status).toBe(201);
  const { token, user } = (await res.json()) as { token: string; user: { id: string } };
  return { id: user.id, phone: new HttpClient(url, { authorization: `Bearer ${token}` }) };
}

/** A computer signed in with its password (next-auth's `computer` provider, as /login's form). */
async function desktopOn(url: string, username: string, password: string) {
  const desktop = new HttpClient(url);
  await desktop.nextAuthCallback("computer", { username, password });
  expect(desktop.hasSessionCookie()).toBe(true);
  return desktop;
}

const fromHtml = (s: string) =>
  s
    .replaceAll("&quot;", '"')
    .replaceAll("&#x27;", "'")
    .replaceAll("&lt;", "<")
    .replaceAll("&gt;", ">")
    .replaceAll("&amp;", "&");

/**
 * Posts the /account form that has the field `field`, as a browser without
 * JavaScript does: the form's hidden fields (its server action's reference)
 * and `fields`, multipart, from this site's origin unless `headers` say otherwise.
 */
async function submit(
  client: HttpClient,
  field: string,
  fields: Record<string, string>,
  headers: Record<string, string> = { origin: client.baseUrl },
) {
  const html = await (await client.fetch("/account")).text();
  const form = [...html.matchAll(/<form[^>]*>([\s\S]*?)<\/form>/g)]
    .map((m) => m[1] ?? "")
    .find((inner) => inner.includes(`name="${field}"`));
  if (!form) throw new Error(`no form with ${field} on /account`);
  const body = new FormData();
  for (const [, attrs = ""] of form.matchAll(/<input([^>]*)>/g)) {
    if (!attrs.includes('type="hidden"')) continue;
    const name = /name="([^"]*)"/.exec(attrs)?.[1];
    if (name) body.append(fromHtml(name), fromHtml(/value="([^"]*)"/.exec(attrs)?.[1] ?? ""));
  }
  for (const [name, value] of Object.entries(fields)) body.append(name, value);
  return client.fetch("/account", { method: "POST", body, headers });
}

/** The page's text once a form's answer is rendered (React splits text around values with comments). */
const textOf = async (res: Response) => (await res.text()).replaceAll("<!-- -->", "");

const refused = async (client: HttpClient) => (await client.fetch("/api/sessions")).status;

/**
 * The desktop's /account (issue 23 item 5), against the production build on two
 * instances sharing a Redis and a database: a password change signs every other
 * session out on both, from the computer or from the phone; a rename shows on the
 * computer; deleting from the computer ends everything.
 */
describe("an account's life on the desktop", () => {
  // The webhook receiver starts before the stack, which reads its env when it starts.
  const env: Record<string, string> = { SIGNUP: "open", WEBHOOK_SECRET: SECRET };
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  beforeAll(async () => {
    receiver = await startReceiver();
    env.WEBHOOK_URL = receiver.url;
    return () => receiver.close();
  });
  const stack = useStack({ instances: 2, env });

  it("changing the password on the desktop signs out the phone and the other desktop on the other instance, and keeps this desktop", async () => {
    const [a, b] = stack.apps.map((app) => app.url) as [string, string];
    const me = await signedUp(b, "dora", "dora-pass-1");
    const desk = await desktopOn(a, "dora", "dora-pass-1");
    const other = await desktopOn(b, "dora", "dora-pass-1");
    // Signed out: to the desktop's sign-in, and back here after.
    const anonymous = await new HttpClient(a).fetch("/account");
    expect(anonymous.status).toBe(307);
    expect(anonymous.headers.get("location")).toBe("/login?callbackUrl=%2Faccount");
    expect(await textOf(await desk.fetch("/"))).toContain('href="/account"');

    // The phone's words for a wrong current password and a short new one; nothing changes.
    const wrong = await submit(desk, "currentPassword", {
      currentPassword: "not-it-11",
      newPassword: "dora-pass-2",
    });
    expect(await textOf(wrong)).toContain("That is not your current password.");
    const short = await submit(desk, "currentPassword", {
      currentPassword: "dora-pass-1",
      newPassword: "short",
    });
    expect(await textOf(short)).toContain("The new password must be at least 8 characters");
    // Another site's post is refused before the action runs.
    const crossSite = await submit(
      desk,
      "currentPassword",
      { currentPassword: "dora-pass-1", newPassword: "dora-pass-2" },
      { origin: "https://evil.example" },
    );
    expect(crossSite.status).toBeGreaterThanOrEqual(400);
    expect(await refused(me.phone)).toBe(200);
    expect((await other.session()).user).toBeDefined();

    const changed = await submit(desk, "currentPassword", {
      currentPassword: "dora-pass-1",
      newPassword: "dora-pass-2",
    });
    expect(changed.status).toBe(200);
    expect(await textOf(changed)).toContain("Password changed. 2 other sessions were signed out.");
    await expect.poll(() => refused(me.phone), { timeout: 1000, interval: 20 }).toBe(401);
    expect((await other.session()).user).toBeUndefined();
    expect((await desk.session()).user).toMatchObject({ id: me.id });
    await expect(signInNative(a, "dora", "dora-pass-1")).rejects.toThrow(/401/);
    expect((await signInNative(a, "dora", "dora-pass-2")).token).toBeTruthy();
  });

  it("changing the password on the phone signs out the desktops on both instances; on a computer signed in by QR, its phone and so the computer too", async () => {
    const [a, b] = stack.apps.map((app) => app.url) as [string, string];
    const me = await signedUp(a, "ezra", "ezra-pass-1");
    const onA = await desktopOn(a, "ezra", "ezra-pass-1");
    const onB = await desktopOn(b, "ezra", "ezra-pass-1");
    const res = await me.phone.fetch("/api/account/password", {
      method: "POST",
      json: { currentPassword: "ezra-pass-1", newPassword: "ezra-pass-2" },
    });
    expect(await res.json()).toEqual({ changed: true, signedOut: 2 });
    await expect
      .poll(async () => (await onB.session()).user, { timeout: 1000, interval: 20 })
      .toBeUndefined();
    expect((await onA.session()).user).toBeUndefined();
    expect(await refused(me.phone)).toBe(200);

    // A computer signed in by QR lives by the phone that approved it: its own password change
    // signs that phone out, so this computer too, and it is told so, in words.
    const { desktop: byQr } = await signedInDesktop(a, { phone: me.phone });
    expect(await textOf(await byQr.fetch("/account"))).toContain(
      "This computer was signed in with your phone, so it is signed out with that phone",
    );
    const changed = await submit(byQr, "currentPassword", {
      currentPassword: "ezra-pass-2",
      newPassword: "ezra-pass-3",
    });
    expect(changed.status).toBe(303);
    expect(changed.headers.get("location")).toBe("/account/ended?why=password");
    expect(await textOf(await byQr.fetch("/account/ended?why=password"))).toContain(
      "Your password was changed and every other session of the account was signed out.",
    );
    expect((await byQr.session()).user).toBeUndefined();
    expect(await refused(me.phone)).toBe(401);
  });

  it("a rename on the phone shows on the desktop at its next page load; deleting on the desktop ends every session and sends account.deleted", async () => {
    const [a, b] = stack.apps.map((app) => app.url) as [string, string];
    const me = await signedUp(b, "fay", "fay-pass-11");
    const desk = await desktopOn(a, "fay", "fay-pass-11");
    const other = await desktopOn(b, "fay", "fay-pass-11");
    expect(await textOf(await desk.fetch("/"))).toContain("Signed in as <strong>Fay</strong>");
    const renamed = await me.phone.fetch("/api/account", {
      method: "PATCH",
      json: { displayName: "Fay Neu" },
    });
    expect(renamed.status).toBe(200);
    // Instance A had the name cached: the change event makes it read it again.
    await expect
      .poll(async () => textOf(await desk.fetch("/")), { timeout: 2000, interval: 50 })
      .toContain("Signed in as <strong>Fay Neu</strong>");
    // And from the desktop's own form, with the phone's words for a name that cannot be.
    const blank = await submit(desk, "displayName", { displayName: "   " });
    expect(await textOf(blank)).toContain("That can&#x27;t be saved: a name is 1 to 100");
    const mine = await submit(desk, "displayName", { displayName: "Fay F" });
    expect(await textOf(mine)).toContain("Your name is now “Fay F”");
    expect(await textOf(await other.fetch("/"))).toContain("Signed in as <strong>Fay F</strong>");

    const wrong = await submit(desk, "password", { password: "not-it-11" });
    expect(await textOf(wrong)).toContain("That is not your current password.");
    expect(await refused(me.phone)).toBe(200);
    const deleted = await submit(desk, "password", { password: "fay-pass-11" });
    expect(deleted.status).toBe(303);
    expect(deleted.headers.get("location")).toBe("/account/ended?why=deleted");
    expect(await textOf(await desk.fetch("/account/ended?why=deleted"))).toContain(
      "Your account was deleted, with its passkeys and its history.",
    );
    expect((await desk.session()).user).toBeUndefined();
    await expect.poll(() => refused(me.phone), { timeout: 1000, interval: 20 }).toBe(401);
    expect((await other.session()).user).toBeUndefined();
    await expect(signInNative(b, "fay", "fay-pass-11")).rejects.toThrow(/401/);
    const hook = await receiver.waitFor((r) => r.body.includes('"account.deleted"'));
    expect(JSON.parse(hook.body)).toMatchObject({
      type: "account.deleted",
      data: { userId: me.id, username: "fay", signedOut: 3, by: "computer" },
    });
  });
});

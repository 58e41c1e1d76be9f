import { randomBytes } from "node:crypto";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { webhookPayload } from "@/lib/webhooks/events";
import { HttpClient } from "../support/http-client";
import { signedInPhone, useStack } from "../support/stack";
import { startReceiver } from "../support/webhook-receiver";

const SECRET = `whsec_${randomBytes(32).toString("base64")}`;

/**
 * Login CSRF (issue 21.2): someone reads the code off another person's screen
 * and approves it with their own account. The computer is never signed in to
 * an account that has not signed in from that browser before unless the
 * person there chose "Continue as …" (the claim carries `continueAs`); "This
 * isn't me" (`POST /api/qr/{id}/refuse`) ends the request for good and the
 * approving phone is told. A browser the account used before signs in at once.
 */

type Status = {
  state: string;
  version: number;
  scanner?: { displayName: string; username?: string };
  continueRequired?: boolean;
};

/** The error next-auth put in the answer's URL (our words), or null. */
async function claimError(res: Response): Promise<string | null> {
  const { url } = (await res.json()) as { url?: string };
  return url ? new URL(url).searchParams.get("error") : null;
}

describe("Continue as …? before a new account signs a browser in", () => {
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  afterAll(async () => receiver?.close()); // after the stack's own tear-down (hooks unwind)
  const stack = useStack({
    env: async () => {
      receiver = await startReceiver();
      return { WEBHOOK_URL: receiver.url, WEBHOOK_SECRET: SECRET };
    },
  });
  let bob: HttpClient;
  let alice: HttpClient;

  beforeAll(async () => {
    bob = await signedInPhone(stack.url, "bob", "builder");
    alice = await signedInPhone(stack.url);
  });

  /** A ticket on `desktop`, scanned and approved by `phone`; its status as the desktop reads it. */
  async function approved(desktop: HttpClient, phone: HttpClient) {
    const created = await desktop.fetch("/api/qr", { method: "POST" });
    expect(created.status).toBe(201);
    const { ticketId, scanUrl } = (await created.json()) as { ticketId: string; scanUrl: string };
    // The token the QR on screen carries (it rotates).
    const t = new URL(scanUrl).searchParams.get("t") ?? "";
    for (const step of [`scan?t=${t}`, "confirm"]) {
      const res = await phone.fetch(`/api/qr/${ticketId}/${step}`, { method: "POST" });
      expect(res.status, `${step}: ${await res.clone().text()}`).toBe(200);
    }
    const status = (await (await desktop.fetch(`/api/qr/${ticketId}`)).json()) as Status;
    return { ticketId, status };
  }

  const approvalOf = async (phone: HttpClient, ticketId: string) =>
    (await phone.fetch(`/api/qr/${ticketId}/approval`)).json();

  it("names an account new to this browser and claims nothing until the person continues as it", async () => {
    const desktop = new HttpClient(stack.url);
    const { ticketId, status } = await approved(desktop, bob);
    expect(status).toMatchObject({
      state: "confirmed",
      continueRequired: true,
      scanner: { displayName: "Bob Martin", username: "bob" },
    });
    // The phone that approved knows the computer is asking.
    expect(await approvalOf(bob, ticketId)).toMatchObject({
      state: "confirmed",
      approved: true,
      continueRequired: true,
    });

    // Today's claim (no answer from the person): refused, in words, and nothing changes.
    const silent = await desktop.nextAuthCallback("qr", { ticketId });
    expect(await claimError(silent)).toMatch(/has not signed in from this browser before/);
    expect(desktop.hasSessionCookie()).toBe(false);
    // "Continue" for another account than the one that approved: refused too.
    await desktop.nextAuthCallback("qr", { ticketId, continueAs: "alice" });
    expect(desktop.hasSessionCookie()).toBe(false);
    const still = (await (await desktop.fetch(`/api/qr/${ticketId}`)).json()) as Status;
    expect(still).toMatchObject({ state: "confirmed", version: status.version });

    await desktop.nextAuthCallback("qr", { ticketId, continueAs: "bob" });
    expect((await desktop.session()).user?.id).toBe("demo-bob");
    expect(((await (await desktop.fetch(`/api/qr/${ticketId}`)).json()) as Status).state).toBe(
      "consumed",
    );
  });

  it("signs a browser the account used before in at once, and still asks for another account", async () => {
    const desktop = new HttpClient(stack.url);
    const first = await approved(desktop, bob);
    await desktop.nextAuthCallback("qr", { ticketId: first.ticketId, continueAs: "bob" });
    expect((await desktop.session()).user?.id).toBe("demo-bob");

    // Same browser (its device cookie), Bob again: no question, the plain claim signs in.
    const again = await approved(desktop, bob);
    expect(again.status.state).toBe("confirmed");
    expect(again.status.continueRequired).toBeUndefined();
    expect(again.status.scanner).toEqual({ displayName: "Bob Martin" });
    const res = await desktop.nextAuthCallback("qr", { ticketId: again.ticketId });
    expect(await claimError(res)).toBeNull();
    expect(
      ((await (await desktop.fetch(`/api/qr/${again.ticketId}`)).json()) as Status).state,
    ).toBe("consumed");

    // Alice has never signed in here: asked, whatever Bob did on this browser.
    const other = await approved(desktop, alice);
    expect(other.status).toMatchObject({ continueRequired: true, scanner: { username: "alice" } });
  });

  it("ends the request for good on This isn't me, and the phone reads refused", async () => {
    const desktop = new HttpClient(stack.url);
    const { ticketId } = await approved(desktop, bob);

    // Only the browser holding the binding, from this site.
    const stranger = new HttpClient(stack.url);
    expect((await stranger.fetch(`/api/qr/${ticketId}/refuse`, { method: "POST" })).status).toBe(
      404,
    );
    const crossSite = await desktop.fetch(`/api/qr/${ticketId}/refuse`, {
      method: "POST",
      headers: { origin: "https://evil.example", "sec-fetch-site": "cross-site" },
    });
    expect(crossSite.status).toBe(403);

    const refused = await desktop.fetch(`/api/qr/${ticketId}/refuse`, { method: "POST" });
    expect(refused.status).toBe(204);
    expect(((await (await desktop.fetch(`/api/qr/${ticketId}`)).json()) as Status).state).toBe(
      "cancelled",
    );
    expect(await approvalOf(bob, ticketId)).toMatchObject({
      state: "cancelled",
      approved: true,
      refused: true,
    });
    // Reported to the integrator (signed), as a phone's "This wasn't me" is.
    const reported = await receiver.waitFor((r) => r.body.includes('"login.reported"'));
    const payload = webhookPayload.parse(
      new Webhook(SECRET).verify(reported.body, reported.headers as Record<string, string>),
    );
    expect(payload).toMatchObject({ type: "login.reported", data: { userId: "demo-bob" } });
    // Nothing claims it any more, with or without "Continue".
    await desktop.nextAuthCallback("qr", { ticketId, continueAs: "bob" });
    expect(desktop.hasSessionCookie()).toBe(false);
    const twice = await desktop.fetch(`/api/qr/${ticketId}/refuse`, { method: "POST" });
    expect(twice.status).toBe(409);
    expect(await twice.json()).toMatchObject({
      error: { code: "invalid_state", state: "cancelled" },
    });
  });

  it("refuses nothing that was not approved (409), and a refused account stays unknown here", async () => {
    const desktop = new HttpClient(stack.url);
    const created = await desktop.fetch("/api/qr", { method: "POST" });
    const { ticketId } = (await created.json()) as { ticketId: string };
    const early = await desktop.fetch(`/api/qr/${ticketId}/refuse`, { method: "POST" });
    expect(early.status).toBe(409);
    expect(await early.json()).toMatchObject({
      error: { code: "invalid_state", state: "pending" },
    });

    const first = await approved(desktop, bob);
    expect(
      (await desktop.fetch(`/api/qr/${first.ticketId}/refuse`, { method: "POST" })).status,
    ).toBe(204);
    const next = await approved(desktop, bob);
    expect(next.status.continueRequired).toBe(true);
  });
});

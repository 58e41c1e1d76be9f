import { describe, expect, it } from "vitest";
import type { SignInNotice } from "@/lib/api/shapes";
import { TEST_USERS } from "../support/app-server";
import { HttpClient, scanPathOf, signInNative } from "../support/http-client";
import { signedInDesktop, useStack } from "../support/stack";

const USERS = `${TEST_USERS},nina:notice-nina:Notice Nina`;
const WINDOWS_CHROME =
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

/** Sign-in notices on the account's other phones, on both stores. */
for (const storeName of ["redis", "memory"] as const) {
  describe(`sign-in notices (${storeName} store)`, () => {
    const stack = useStack({ store: storeName, env: { QRL_DEMO_USERS: USERS } });

    /** A desktop signed in by QR, approved by `phone` (signedInDesktop checks every step). */
    const desktopOf = async (phone: HttpClient) =>
      (await signedInDesktop(stack.url, { phone, headers: { "user-agent": WINDOWS_CHROME } }))
        .desktop;

    const noticesOf = async (phone: HttpClient) => {
      const res = await phone.fetch("/api/notices");
      expect(res.status).toBe(200);
      return ((await res.json()) as { notices: SignInNotice[] }).notices;
    };

    it("shows a new sign-in on every phone, the approving one marked (a copy of it may have approved); dismissing hides it", async () => {
      const approver = (await signInNative(stack.app.url, "nina", "notice-nina")).client;
      const other = (await signInNative(stack.app.url, "nina", "notice-nina")).client;
      await desktopOf(approver);
      const [here, ...none] = await noticesOf(approver);
      expect(none).toEqual([]);
      expect(here?.approvedHere).toBe(true);
      const [notice, ...rest] = await noticesOf(other);
      expect(rest).toEqual([]);
      expect(notice?.approvedHere).toBe(false);
      expect(notice?.device).toEqual({ browser: "Chrome 131", os: "Windows", ip: "127.0.0.1" });
      const dismiss = await other.fetch(`/api/notices/${notice?.sessionId}/dismiss`, {
        method: "POST",
      });
      expect(dismiss.status).toBe(204);
      expect(await noticesOf(other)).toEqual([]);
      const again = await other.fetch(`/api/notices/${notice?.sessionId}/dismiss`, {
        method: "POST",
      });
      expect(again.status).toBe(404);
    });

    it("signs the computer out from the notice: its next request is signed out", async () => {
      const approver = (await signInNative(stack.app.url, "nina", "notice-nina")).client;
      const other = (await signInNative(stack.app.url, "nina", "notice-nina")).client;
      const desktop = await desktopOf(approver);
      expect((await desktop.session()).user?.name).toBe("Notice Nina");
      const notice = (await noticesOf(other))[0];
      expect(notice).toBeDefined();
      const res = await other.fetch(`/api/sessions/${notice?.sessionId}`, { method: "DELETE" });
      expect(res.status).toBe(204);
      expect((await desktop.session()).user).toBeUndefined();
      expect((await noticesOf(other)).some((n) => n.sessionId === notice?.sessionId)).toBe(false);
    });
    it("refuses a computer's session on the notice and passkey routes (403 not_an_approver)", async () => {
      const phone = (await signInNative(stack.app.url, "nina", "notice-nina")).client;
      const desktop = await desktopOf(phone);
      const scanned = new HttpClient(stack.app.url);
      const { ticketId, scanUrl } = await (
        await scanned.fetch("/api/qr", { method: "POST" })
      ).json();
      await phone.fetch(scanPathOf(scanUrl), { method: "POST" });
      const attempts: Array<[string, string, unknown?]> = [
        ["GET", "/api/notices"],
        ["POST", `/api/notices/${"A".repeat(22)}/dismiss`],
        ["GET", "/api/passkeys"],
        ["POST", "/api/passkeys/registration/begin", {}],
        ["POST", "/api/passkeys/step-up"],
        ["PUT", "/api/passkeys/setting", { requireForApproval: false }],
        ["POST", `/api/qr/${ticketId}/passkey/begin`],
      ];
      for (const [method, path, json] of attempts) {
        const res = await desktop.fetch(path, {
          method,
          headers: { origin: stack.app.url, "sec-fetch-site": "same-origin" },
          ...(json === undefined ? {} : { json }),
        });
        const body = (await res.json()) as { error?: { code?: string } };
        expect({ method, path, status: res.status, code: body.error?.code }).toEqual({
          method,
          path,
          status: 403,
          code: "not_an_approver",
        });
      }
    });
  });
}

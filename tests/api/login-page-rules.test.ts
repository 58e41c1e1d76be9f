import { describe, expect, it } from "vitest";
import { safeCallbackUrl } from "@/app/(web)/login/callback-url";
import { isPhoneRequest } from "@/app/(web)/login/phone-request";
import { ApiRequestError } from "@/components/api-client";
import { loginMessage } from "@/components/login-message";
import { passwordProblemOf } from "@/components/password-problem";

/** The login page's small rules, as tables: phone or computer, the password form's answers, the state's words. */

const PIXEL_UA =
  "Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36";
const IPHONE_UA =
  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1";
const LINUX_UA =
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

describe("isPhoneRequest", () => {
  it.each([
    [{ "sec-ch-ua-mobile": "?1" }, true],
    [{ "sec-ch-ua-mobile": "?0", "user-agent": PIXEL_UA }, false],
    [{ "user-agent": PIXEL_UA }, true],
    [{ "user-agent": IPHONE_UA }, true],
    [{ "user-agent": LINUX_UA }, false],
    [{}, false],
  ])("%j → %s", (headers, phone) => {
    expect(isPhoneRequest(new Headers(headers))).toBe(phone);
  });
});

describe("passwordProblemOf (next-auth's answer → what the form says)", () => {
  it.each([
    ["http://x/api/auth/error?error=CredentialsSignin&provider=computer", "wrong"],
    ["http://x/api/auth/error?error=Too%20many%20attempts.%20Wait", "limited"],
    ["http://x/api/auth/signin?csrf=true", "expired"],
    ["http://x/api/auth/error?error=The%20login%20service%20is%20unavailable", "unavailable"],
    [undefined, "unavailable"],
  ])("%s → %s", (url, problem) => {
    expect(passwordProblemOf(url)).toBe(problem);
  });
});

describe("safeCallbackUrl", () => {
  it.each([
    ["/after", "/after"],
    ["//evil.example", "/"],
    ["/\t/evil.example", "/"],
    ["/\\evil.example", "/"],
    ["https://evil.example/", "/"],
    [["/a", "/b"], "/a"],
    [undefined, "/"],
  ])("%j → %s", (value, url) => {
    expect(safeCallbackUrl(value)).toBe(url);
  });
});

describe("loginMessage", () => {
  const idle = {
    creating: false,
    createError: null,
    state: undefined,
    scannerName: undefined,
    lost: false,
    canRenew: true,
    claimFailed: false,
    renewed: false,
  };
  it("keeps the code on screen while scanned, to compare with the phone's", () => {
    const m = loginMessage({ ...idle, state: "scanned", scannerName: "Alice" });
    expect(m).toMatchObject({ key: "status.scanned", qr: "scanned", showCode: "check" });
  });
  it("offers a new code over the faded QR after denied, cancelled, expired and a lost code", () => {
    for (const state of ["denied", "cancelled"] as const) {
      expect(loginMessage({ ...idle, state })).toMatchObject({ qr: "reload", reload: "newCode" });
    }
    expect(loginMessage({ ...idle, state: "expired", canRenew: false }).reload).toBe("newCode");
    expect(loginMessage({ ...idle, lost: true }).reload).toBe("newCode");
  });
  it("says a renewed code was renewed, and what to wait for after a 429", () => {
    expect(loginMessage({ ...idle, state: "pending", renewed: true }).key).toBe("status.renewed");
    // Which renewal it is: the words change each time, so a screen reader hears them again.
    const second = loginMessage({
      ...idle,
      state: "pending",
      renewed: true,
      renewals: { count: 2, max: 3 },
    });
    expect(second.values).toEqual({ count: 2, max: 3 });
    const limited = new ApiRequestError(429, "rate_limited", "x", 30);
    expect(loginMessage({ ...idle, createError: limited })).toMatchObject({
      key: "createError.limited",
      values: { seconds: 30 },
      reload: "tryAgain",
    });
  });
});

describe("messages: every desktop string in both languages", () => {
  const keysOf = (o: unknown, prefix = ""): string[] =>
    Object.entries(o as Record<string, unknown>).flatMap(([k, v]) =>
      typeof v === "string" ? [`${prefix}${k}`] : keysOf(v, `${prefix}${k}.`),
    );
  it.each(["login", "common"])("%s: the same keys in en and zh-CN, none empty", async (ns) => {
    const en = (await import(`../../messages/en/${ns}.json`)).default;
    const zh = (await import(`../../messages/zh-CN/${ns}.json`)).default;
    expect(keysOf(zh).sort()).toEqual(keysOf(en).sort());
    for (const key of keysOf(zh)) {
      const value = key.split(".").reduce((o: Record<string, unknown>, k) => o[k] as never, zh);
      expect(String(value).trim(), key).not.toBe("");
    }
  });
});

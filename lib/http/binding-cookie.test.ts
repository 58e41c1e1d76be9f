import { describe, expect, it } from "vitest";
import { newBindingSecret, newTicketId } from "../tickets/ids";
import { bindingCookieName, bindingCookieValue, readBindingCookie } from "./binding-cookie";

describe("binding cookie", () => {
  const a = newTicketId();
  const b = newTicketId();
  const secret = newBindingSecret();
  const value = bindingCookieValue(a, secret);

  it("gives the secret back for the ticket it was issued for", () => {
    expect(readBindingCookie(a, value)).toBe(secret);
  });

  it("refuses a value issued for another ticket", () => {
    expect(readBindingCookie(b, value)).toBeNull();
    expect(readBindingCookie(a, bindingCookieValue(b, secret))).toBeNull();
  });

  it("refuses a tampered tag or secret", () => {
    const [given = "", tag = ""] = value.split(".");
    const flipped = `${tag[0] === "A" ? "B" : "A"}${tag.slice(1)}`;
    for (const forged of [
      `${given}.${flipped}`,
      `${given}.${tag.slice(0, -1)}`,
      `${given}.${tag}A`,
      `${given}.`,
      `${newBindingSecret()}.${tag}`,
      `.${tag}`,
    ]) {
      expect(readBindingCookie(a, forged), forged).toBeNull();
    }
  });

  it("refuses values that are not exactly secret.tag", () => {
    for (const forged of [`${value}.`, `${value}.extra`, `x.${value}`, secret, "", undefined]) {
      expect(readBindingCookie(a, forged), String(forged)).toBeNull();
    }
  });

  it("names the cookie after the ticket, with the __Host- prefix on https", () => {
    expect(bindingCookieName(a, false)).toBe(`qrl-${a}`);
    expect(bindingCookieName(a, true)).toBe(`__Host-qrl-${a}`);
  });
});

import { describe, expect, it, vi } from "vitest";

const settings = vi.hoisted(() => ({ authSecret: "test-secret", secureCookies: true }));
vi.mock("../env", () => ({ env: () => settings }));

const { bindingCookieValue, bindingSecret } = await import("./binding-cookie");
const { newBindingSecret, newTicketId } = await import("../tickets/ids");

describe("bindingSecret", () => {
  const id = newTicketId();
  const secret = newBindingSecret();
  const value = bindingCookieValue(id, secret);
  const read = (cookie: string) => bindingSecret(id, new Headers({ cookie }));

  it("on https reads only the __Host- cookie, never the bare name", () => {
    settings.secureCookies = true;
    expect(read(`__Host-qrl-${id}=${value}`)).toBe(secret);
    expect(read(`qrl-${id}=${value}`)).toBeNull();
    // A bare cookie sent first does not hide or replace the prefixed one.
    expect(read(`qrl-${id}=x.y; __Host-qrl-${id}=${value}`)).toBe(secret);
  });

  it("on plain http reads only the bare name (the one it sets)", () => {
    settings.secureCookies = false;
    expect(read(`qrl-${id}=${value}`)).toBe(secret);
    expect(read(`__Host-qrl-${id}=${value}`)).toBeNull();
  });
});

import { beforeEach, describe, expect, it, vi } from "vitest";

const settings = vi.hoisted(() => ({ TRUST_PROXY: 0 }));
vi.mock("../env", () => ({ env: () => settings }));

const { clientIp, PEER_HEADER, peerHeaderValue } = await import("./request-info");
const { describeUserAgent } = await import("../net/user-agent");

const ip = (headers: Record<string, string>) => clientIp(new Headers(headers));

describe("clientIp from the socket (no proxy trusted)", () => {
  beforeEach(() => {
    settings.TRUST_PROXY = 0;
  });

  it("reads the address the server wrote with this process's token", () => {
    expect(ip({ [PEER_HEADER]: peerHeaderValue("203.0.113.9") })).toBe("203.0.113.9");
    expect(ip({ [PEER_HEADER]: peerHeaderValue("::ffff:127.0.0.1") })).toBe("127.0.0.1");
    expect(ip({ [PEER_HEADER]: peerHeaderValue("2001:DB8::1") })).toBe("2001:db8::1");
  });

  it("never takes an address a client wrote", () => {
    const token = peerHeaderValue("").trim();
    for (const forged of [
      "203.0.113.9",
      "x 203.0.113.9",
      ` 203.0.113.9`,
      `${token.slice(1)} 203.0.113.9`,
      `${token}x 203.0.113.9`,
      `${token}203.0.113.9`,
    ]) {
      expect(ip({ [PEER_HEADER]: forged }), forged).toBe("unknown");
    }
    expect(ip({})).toBe("unknown");
    // X-Forwarded-For counts for nothing unless a proxy is trusted.
    expect(ip({ "x-forwarded-for": "203.0.113.9" })).toBe("unknown");
  });

  it("is unknown when the socket's address is not one", () => {
    expect(ip({ [PEER_HEADER]: peerHeaderValue("") })).toBe("unknown");
    expect(ip({ [PEER_HEADER]: peerHeaderValue("garbage") })).toBe("unknown");
  });
});

describe("clientIp behind a trusted proxy", () => {
  beforeEach(() => {
    settings.TRUST_PROXY = 1;
  });

  it.each([
    ["203.0.113.7", "203.0.113.7"],
    ["198.51.100.1, 203.0.113.7", "203.0.113.7"],
    ["203.0.113.7:1000", "203.0.113.7"],
    ["198.51.100.1, 203.0.113.7:61000", "203.0.113.7"],
    ["[2001:db8::1]:443", "2001:db8::1"],
    ["[2001:db8::1]", "2001:db8::1"],
    ["2001:0DB8:0:0:0:0:0:1", "2001:db8::1"],
    ["::ffff:203.0.113.7", "203.0.113.7"],
  ])("X-Forwarded-For %j → %s", (chain, expected) => {
    expect(ip({ "x-forwarded-for": chain })).toBe(expected);
  });

  it.each([
    "garbage",
    "<script>alert(1)</script>",
    "203.0.113.7:http",
    "203.0.113.300",
    "198.51.100.1, not-an-ip",
    "[2001:db8::1",
    "unknown",
  ])("X-Forwarded-For %j → unknown", (chain) => {
    expect(ip({ "x-forwarded-for": chain })).toBe("unknown");
  });

  it("takes the n-th address from the right behind n proxies", () => {
    settings.TRUST_PROXY = 2;
    expect(ip({ "x-forwarded-for": "1.1.1.1, 203.0.113.7:5, 10.0.0.1" })).toBe("203.0.113.7");
  });

  it("falls back to the socket without X-Forwarded-For", () => {
    expect(ip({ [PEER_HEADER]: peerHeaderValue("10.0.0.1") })).toBe("10.0.0.1");
  });
});

describe("describeUserAgent", () => {
  it("describes a client that sent no user agent as unknown instead of failing", () => {
    expect(describeUserAgent("")).toEqual({ browser: "Unknown browser", os: "Unknown OS" });
    expect(describeUserAgent("   ")).toEqual({ browser: "Unknown browser", os: "Unknown OS" });
  });
});

import { describe, expect, it } from "vitest";
import { compareNetworks, isLocalAddress, limitKeyOf, parseAddress } from "./network";

describe("compareNetworks", () => {
  it.each([
    // Both local (LAN, loopback, dev machine): the same network.
    ["127.0.0.1", "127.0.0.1", "same"],
    ["192.168.1.20", "10.0.0.5", "same"],
    ["::1", "172.20.3.4", "same"],
    ["fd12:3456::1", "fe80::1", "same"],
    ["100.64.0.1", "192.168.0.2", "same"],
    // One local, one public: different.
    ["192.168.1.20", "203.0.113.9", "different"],
    ["203.0.113.9", "127.0.0.1", "different"],
    ["2001:db8::1", "::1", "different"],
    // Both public IPv4: the same /24 matches.
    ["203.0.113.9", "203.0.113.9", "same"],
    ["203.0.113.9", "203.0.113.200", "same"],
    ["203.0.113.9", "203.0.114.9", "different"],
    ["198.51.100.7", "203.0.113.7", "different"],
    // Both public IPv6: the same /64 matches.
    ["2001:db8:1:2::10", "2001:db8:1:2:ffff::1", "same"],
    ["2001:db8:1:2::10", "2001:db8:1:3::10", "different"],
    // IPv4-mapped IPv6 is its IPv4 address.
    ["::ffff:203.0.113.9", "203.0.113.50", "same"],
    ["::ffff:192.168.1.1", "10.1.1.1", "same"],
    // Mixed families cannot be compared: different.
    ["203.0.113.9", "2001:db8::1", "different"],
    // No address known: no verdict (no warning).
    ["unknown", "203.0.113.9", "unknown"],
    ["", "", "unknown"],
    ["203.0.113.9", "not-an-ip", "unknown"],
    // Ports and brackets as proxies write them are the address, not "unknown".
    ["203.0.113.7:1000", "198.51.100.20", "different"],
    ["203.0.113.7:1000", "203.0.113.8:2000", "same"],
    ["[2001:db8::1]:443", "2001:db8:ffff::1", "different"],
    ["[2001:db8:1:2::1]", "2001:db8:1:2::99", "same"],
    ["::ffff:cb00:7109", "203.0.113.50", "same"],
  ] as const)("%s vs %s → %s", (a, b, expected) => {
    expect(compareNetworks(a, b)).toBe(expected);
    expect(compareNetworks(b, a)).toBe(expected);
  });

  it("classifies local addresses", () => {
    expect(isLocalAddress("10.255.255.255")).toBe(true);
    expect(isLocalAddress("172.31.0.1")).toBe(true);
    expect(isLocalAddress("172.32.0.1")).toBe(false);
    expect(isLocalAddress("8.8.8.8")).toBe(false);
    expect(isLocalAddress("unknown")).toBe(false);
  });
});

describe("parseAddress", () => {
  it.each([
    ["203.0.113.7", "203.0.113.7"],
    [" 203.0.113.7 ", "203.0.113.7"],
    ["203.0.113.7:1000", "203.0.113.7"],
    ["2001:db8::1", "2001:db8::1"],
    ["2001:DB8:0:0:0:0:0:1", "2001:db8::1"],
    ["[2001:db8::1]", "2001:db8::1"],
    ["[2001:db8::1]:443", "2001:db8::1"],
    ["fe80::1%eth0", "fe80::1"],
    ["::ffff:203.0.113.9", "203.0.113.9"],
    ["::FFFF:cb00:7109", "203.0.113.9"],
    ["[::ffff:203.0.113.9]:80", "203.0.113.9"],
    ["::1", "::1"],
    // Without brackets a port cannot be told from the last group: it is part of the address.
    ["2001:db8::1:443", "2001:db8::1:443"],
  ])("%j → %s", (raw, address) => {
    expect(parseAddress(raw)).toBe(address);
  });

  it.each([
    "",
    "unknown",
    "not-an-ip",
    "203.0.113.7:",
    "203.0.113.7:port",
    "203.0.113.7:1000:2000",
    "203.0.113.256",
    "0203.0.113.7",
    "[2001:db8::1]:",
    "[2001:db8::1]x",
    "[203.0.113.7",
    "2001:db8::1::2",
    "<script>",
    "203.0.113.7, 198.51.100.1",
    "x".repeat(10_000),
  ])("%j → null", (raw) => {
    expect(parseAddress(raw)).toBeNull();
  });
});

describe("limitKeyOf", () => {
  it("is the address itself for IPv4, however it was written", () => {
    for (const ip of ["203.0.113.7", "203.0.113.7:1000", "::ffff:203.0.113.7"]) {
      expect(limitKeyOf(ip)).toBe("203.0.113.7");
    }
    expect(limitKeyOf("203.0.113.8")).toBe("203.0.113.8");
  });

  it("is the /64 for IPv6: every address and spelling in it shares one key", () => {
    const key = "2001:0db8:0001:0002::/64";
    for (const ip of [
      "2001:db8:1:2::1",
      "2001:db8:1:2::c",
      "2001:DB8:1:2:ffff:ffff:ffff:ffff",
      "2001:0db8:0001:0002:0000:0000:0000:0001",
      "[2001:db8:1:2::5]:443",
      "2001:db8:1:2:a:b:c:d",
    ]) {
      expect(limitKeyOf(ip), ip).toBe(key);
    }
    expect(limitKeyOf("2001:db8:1:3::1")).toBe("2001:0db8:0001:0003::/64");
    expect(limitKeyOf("2001:db8::1")).toBe("2001:0db8:0000:0000::/64");
    expect(limitKeyOf("::1")).toBe("0000:0000:0000:0000::/64");
    expect(limitKeyOf("fe80::1%eth0")).toBe("fe80:0000:0000:0000::/64");
  });

  it("leaves what is not an address as it is", () => {
    expect(limitKeyOf("unknown")).toBe("unknown");
  });
});

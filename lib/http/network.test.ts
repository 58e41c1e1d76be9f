import { describe, expect, it } from "vitest";
import { compareNetworks, isLocalAddress } from "./network";

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

import { describe, expect, it } from "vitest";
import type { Ticket } from "./machine";
import { firstSeen, OLD_CODE_MS, scanWarnings } from "./warnings";

const CREATED = 1_700_000_000_000;

const ticket = (ip: string): Ticket => ({
  id: "A".repeat(24),
  state: "pending",
  version: 1,
  bindingHash: "h",
  userCode: "BCDF-GHJK",
  createdAt: CREATED,
  deadline: CREATED + 120_000,
  limit: CREATED + 600_000,
  requester: { ip, userAgent: "" },
  qrKey: "qr-key",
});

describe("scanWarnings", () => {
  it("warns of nothing for a fresh code from the phone's own network", () => {
    expect(scanWarnings(ticket("203.0.113.9"), "203.0.113.40", CREATED + 5_000)).toEqual([]);
    expect(scanWarnings(ticket("192.168.1.2"), "192.168.1.3", CREATED + 5_000)).toEqual([]);
  });

  it("warns when the computer is on another network", () => {
    expect(scanWarnings(ticket("198.51.100.7"), "203.0.113.40", CREATED + 5_000)).toEqual([
      "different_network",
    ]);
    expect(scanWarnings(ticket("198.51.100.7"), "192.168.1.3", CREATED)).toEqual([
      "different_network",
    ]);
  });

  it("warns of a code scanned more than a minute after it was made", () => {
    const t = ticket("203.0.113.9");
    expect(scanWarnings(t, "203.0.113.9", CREATED + OLD_CODE_MS)).toEqual([]);
    expect(scanWarnings(t, "203.0.113.9", CREATED + OLD_CODE_MS + 1)).toEqual(["old_code"]);
  });

  it("gives both warnings together, and none for an unknown address", () => {
    expect(scanWarnings(ticket("198.51.100.7"), "203.0.113.9", CREATED + 90_000)).toEqual([
      "different_network",
      "old_code",
    ]);
    expect(scanWarnings(ticket("unknown"), "203.0.113.9", CREATED)).toEqual([]);
  });

  it("warns when the computer and the phone are in different countries, not when a country is unknown", () => {
    const t = ticket("203.0.113.9");
    expect(scanWarnings(t, "203.0.113.9", CREATED, { requester: "GB", phone: "DE" })).toEqual([
      "different_country",
    ]);
    expect(scanWarnings(t, "203.0.113.9", CREATED, { requester: "DE", phone: "DE" })).toEqual([]);
    expect(scanWarnings(t, "203.0.113.9", CREATED, { requester: "GB" })).toEqual([]);
  });
});

describe("firstSeen", () => {
  const t = { id: "A".repeat(24), createdAt: CREATED };
  const now = CREATED + 65_000;

  it("is when this browser opened the code, so signing in first does not age it", () => {
    const seen = firstSeen(t, { id: t.id, at: CREATED + 20_000 }, now);
    expect(seen).toBe(CREATED + 20_000);
    expect(scanWarnings(ticket("203.0.113.9"), "203.0.113.9", seen)).toEqual([]);
  });

  it("still warns when the code was opened over a minute after it was made", () => {
    const seen = firstSeen(t, { id: t.id, at: CREATED + 61_000 }, now);
    expect(scanWarnings(ticket("203.0.113.9"), "203.0.113.9", seen)).toEqual(["old_code"]);
  });

  it("is now without a cookie, for another ticket, or with a time before the code existed", () => {
    expect(firstSeen(t, null, now)).toBe(now);
    expect(firstSeen(t, { id: "B".repeat(24), at: CREATED + 1_000 }, now)).toBe(now);
    expect(firstSeen(t, { id: t.id, at: CREATED - 1 }, now)).toBe(now);
    expect(firstSeen(t, { id: t.id, at: now + 5_000 }, now)).toBe(now);
  });
});

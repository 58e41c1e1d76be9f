import { describe, expect, it } from "vitest";
import {
  decide,
  type Lifetimes,
  newTicket,
  nextRotationAt,
  qrSlotAccepted,
  qrSlotAt,
  type Ticket,
} from "./machine";
import { currentQrToken, qrTokenOf, qrTokenSlot } from "./qr-token";
import { codeShownAt, scanWarnings } from "./warnings";

const L: Lifetimes = {
  pendingMs: 120_000,
  scannedMs: 60_000,
  confirmedMs: 30_000,
  maxMs: 600_000,
  tombstoneMs: 60_000,
  rotationMs: 25_000,
  rotationGraceMs: 5_000,
};
const T0 = 1_700_000_000_000;
const fields = {
  id: "AAAAAAAAAAAAAAAAAAAAAAAA",
  bindingHash: "h",
  userCode: "BCDF-GHJK",
  requester: { ip: "203.0.113.9", userAgent: "" },
  qrKey: "k".repeat(22),
};
const fresh = () => newTicket(fields, T0, L).ticket;

describe("QR rotation without writes: slots and derived tokens", () => {
  it("moves to a new slot every rotationMs while pending; the long-poll wakes at its start, never once scanned", () => {
    const t = fresh();
    expect(qrSlotAt(t, T0, L)).toBe(0);
    expect(qrSlotAt(t, T0 + 24_999, L)).toBe(0);
    expect(qrSlotAt(t, T0 + 25_000, L)).toBe(1);
    expect(qrSlotAt(t, T0 + 60_000, L)).toBe(2);
    expect(nextRotationAt(t, T0 + 1, L)).toBe(T0 + 25_000);
    expect(nextRotationAt(t, T0 + 25_000, L)).toBe(T0 + 50_000);
    // The poll storm of issue #20: a scanned ticket has no rotation to wake for.
    expect(nextRotationAt({ ...t, state: "scanned" }, T0 + 26_000, L)).toBe(
      Number.POSITIVE_INFINITY,
    );
    expect(nextRotationAt({ ...t, state: "confirmed" }, T0 + 26_000, L)).toBe(
      Number.POSITIVE_INFINITY,
    );
    expect(nextRotationAt(t, T0 + 1, { ...L, rotationMs: 0 })).toBe(Number.POSITIVE_INFINITY);
  });

  it("derives a different token per slot and per ticket; only a genuine one names its slot", () => {
    const t = fresh();
    const first = currentQrToken(t, T0, L);
    expect(first).toMatch(/^0\.[A-Za-z0-9_-]{16}$/);
    expect(currentQrToken(t, T0 + 24_999, L)).toBe(first);
    const second = currentQrToken(t, T0 + 25_000, L);
    expect(second).toMatch(/^1\./);
    expect(second).not.toBe(first);
    expect(qrTokenSlot(t, first)).toBe(0);
    expect(qrTokenSlot(t, second)).toBe(1);
    // Another ticket's token, a forged MAC, a slot swapped under a MAC, garbage: none.
    const other = { ...t, qrKey: "o".repeat(22) };
    expect(qrTokenSlot(t, qrTokenOf(other, 1))).toBeNull();
    expect(qrTokenSlot(t, `1.${"A".repeat(16)}`)).toBeNull();
    expect(qrTokenSlot(t, `2.${second.split(".")[1]}`)).toBeNull();
    expect(qrTokenSlot(t, "")).toBeNull();
    expect(qrTokenSlot(t, "not a token")).toBeNull();
    // Without rotation the URL carries no token.
    expect(currentQrToken(t, T0, { ...L, rotationMs: 0 })).toBe("");
  });

  it("accepts a slot through its end plus the grace, or for a phone that opened it while it scanned", () => {
    const t = fresh();
    expect(qrSlotAccepted(t, 0, T0 + 29_999, L)).toBe(true);
    expect(qrSlotAccepted(t, 0, T0 + 30_000, L)).toBe(false);
    expect(qrSlotAccepted(t, 1, T0 + 54_999, L)).toBe(true);
    expect(qrSlotAccepted(t, 1, T0 + 55_000, L)).toBe(false);
    // No token or a forged one, and a slot from the future: never.
    expect(qrSlotAccepted(t, null, T0 + 1, L)).toBe(false);
    expect(qrSlotAccepted(t, 3, T0 + 26_000, L)).toBe(false);
    // The person opened slot 0's QR at 10 s, signed in on the phone, and scans at 70 s: theirs.
    expect(qrSlotAccepted(t, 0, T0 + 70_000, L, T0 + 10_000)).toBe(true);
    // Opened only after the slot stopped scanning (a forwarded photo): refused.
    expect(qrSlotAccepted(t, 0, T0 + 70_000, L, T0 + 30_000)).toBe(false);
    // An `opened` time from before the ticket existed counts for nothing.
    expect(qrSlotAccepted(t, 0, T0 + 70_000, L, T0 - 1)).toBe(false);
    expect(
      decide(t, { type: "scan", userId: "u", qrSlot: 0, openedAt: T0 + 10_000 }, T0 + 70_000, L),
    ).toMatchObject({ ok: true, changed: true, ticket: { state: "scanned" } });
    expect(decide(t, { type: "scan", userId: "u", qrSlot: 0 }, T0 + 70_000, L)).toMatchObject({
      ok: false,
      error: "qr_replaced",
    });
    // Without rotation configured, any token scans.
    expect(qrSlotAccepted(t, null, T0 + 100_000, { ...L, rotationMs: 0 })).toBe(true);
  });

  it("judges a QR's age by its slot, not by the ticket's creation (no old-code warning for the QR on screen)", () => {
    const t: Ticket = fresh();
    // A page open 65 s: the QR scanned now is slot 2, shown 50 s after creation.
    const shownAt = codeShownAt(t, 2, L);
    expect(shownAt).toBe(T0 + 50_000);
    expect(scanWarnings(t, "203.0.113.9", T0 + 65_000, {}, 60_000, shownAt)).toEqual([]);
    // Without a slot (no rotation), the ticket's creation as before.
    expect(
      scanWarnings(t, "203.0.113.9", T0 + 65_000, {}, 60_000, codeShownAt(t, null, L)),
    ).toEqual(["old_code"]);
  });
});

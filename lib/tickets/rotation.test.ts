import { describe, expect, it } from "vitest";
import {
  decide,
  type Lifetimes,
  newTicket,
  nextRotationAt,
  qrTokenAccepted,
  rotationDue,
  type Ticket,
} from "./machine";

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
  id: "t",
  bindingHash: "h",
  userCode: "BCDF-GHJK",
  requester: { ip: "", userAgent: "" },
};
const fresh = () => newTicket(fields, T0, L).ticket;

function rotated(ticket: Ticket, token: string, at: number): Ticket {
  const d = decide(ticket, { type: "rotate", token }, at, L);
  if (!d.ok || !d.changed) throw new Error("expected a rotation");
  return d.ticket;
}

describe("QR rotation in the state machine", () => {
  it("is due every rotationMs while pending, never without rotation", () => {
    const t = fresh();
    expect(nextRotationAt(t, L)).toBe(T0 + 25_000);
    expect(rotationDue(t, T0 + 24_999, L)).toBe(false);
    expect(rotationDue(t, T0 + 25_000, L)).toBe(true);
    expect(rotationDue(t, T0 + 25_000, { ...L, rotationMs: 0 })).toBe(false);
    expect(nextRotationAt(t, { ...L, rotationMs: 0 })).toBe(Number.POSITIVE_INFINITY);
    expect(rotationDue({ ...t, state: "scanned" }, T0 + 30_000, L)).toBe(false);
  });

  it("replaces the token and bumps the version, keeping deadline, binding and code", () => {
    const t = fresh();
    const d = decide(t, { type: "rotate", token: "A".repeat(16) }, T0 + 25_000, L);
    expect(d).toMatchObject({
      ok: true,
      changed: true,
      ticket: {
        version: 2,
        deadline: t.deadline,
        bindingHash: "h",
        userCode: "BCDF-GHJK",
        qr: { token: "A".repeat(16), previous: "", issuedAt: T0 + 25_000 },
      },
      expireAt: t.deadline + L.tombstoneMs,
    });
    // Not due yet: nothing written, unless forced (the typed-code path).
    expect(decide(t, { type: "rotate", token: "B".repeat(16) }, T0 + 1, L)).toMatchObject({
      changed: false,
    });
    expect(
      decide(t, { type: "rotate", token: "B".repeat(16), force: true }, T0 + 1, L),
    ).toMatchObject({ changed: true, ticket: { qr: { token: "B".repeat(16) } } });
  });

  it("accepts the current token until overdue, the replaced one within the grace, nothing older", () => {
    const t0 = fresh();
    expect(qrTokenAccepted(t0, "", T0 + 29_999, L)).toBe(true);
    expect(qrTokenAccepted(t0, "", T0 + 30_000, L)).toBe(false);
    const t1 = rotated(t0, "A".repeat(16), T0 + 25_000);
    const t2 = rotated(t1, "B".repeat(16), T0 + 50_000);
    expect(qrTokenAccepted(t2, "B".repeat(16), T0 + 50_001, L)).toBe(true);
    expect(qrTokenAccepted(t2, "A".repeat(16), T0 + 54_999, L)).toBe(true);
    expect(qrTokenAccepted(t2, "A".repeat(16), T0 + 55_000, L)).toBe(false);
    expect(qrTokenAccepted(t2, "", T0 + 50_001, L)).toBe(false);
    expect(decide(t2, { type: "scan", userId: "u", qrToken: "" }, T0 + 50_001, L)).toMatchObject({
      ok: false,
      error: "qr_replaced",
    });
    // A page that stopped polling and came back: its overdue QR gets no grace from the late rotation.
    const late = rotated(t0, "C".repeat(16), T0 + 100_000);
    expect(late.qr.previous).toBeUndefined();
    expect(qrTokenAccepted(late, "", T0 + 100_001, L)).toBe(false);
    // Without rotation configured, any token scans (v1 behaviour).
    expect(qrTokenAccepted(t2, "", T0 + 100_000, { ...L, rotationMs: 0 })).toBe(true);
  });
});

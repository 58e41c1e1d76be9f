import { describe, expect, it } from "vitest";
import { matchesHash, newBindingSecret, newTicketId, newUserCode, sha256 } from "./ids";
import { TICKET_ID } from "./patterns";

describe("ticket ids and secrets (SECURITY 1)", () => {
  it("makes 10⁵ distinct URL-safe ticket ids of ≥128 bits and secrets of ≥256 bits", () => {
    const ids = new Set<string>();
    const secrets = new Set<string>();
    const bad: string[] = [];
    for (let i = 0; i < 100_000; i++) {
      const id = newTicketId();
      const secret = newBindingSecret();
      if (!TICKET_ID.test(id) || Buffer.from(id, "base64url").length < 16) bad.push(id);
      if (!/^[A-Za-z0-9_-]{43}$/.test(secret) || Buffer.from(secret, "base64url").length < 32) {
        bad.push(secret);
      }
      ids.add(id);
      secrets.add(secret);
    }
    expect(bad).toEqual([]);
    expect(ids.size).toBe(100_000);
    expect(secrets.size).toBe(100_000);
  });

  it("makes user codes of 8 letters without vowels or look-alikes, spread over the alphabet", () => {
    const seen = new Set<string>();
    for (let i = 0; i < 2_000; i++) {
      const code = newUserCode();
      expect(code).toMatch(/^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$/);
      for (const ch of code.replace("-", "")) seen.add(ch);
    }
    expect(seen.size).toBe(20);
  });

  it("matches a secret against its hash only", () => {
    const secret = newBindingSecret();
    expect(matchesHash(secret, sha256(secret))).toBe(true);
    expect(matchesHash(`${secret}x`, sha256(secret))).toBe(false);
    expect(matchesHash(secret, "")).toBe(false);
  });
});

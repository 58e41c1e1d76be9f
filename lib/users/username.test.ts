import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { normalizeUsername } from "./username";

describe("normalizeUsername", () => {
  it.each([
    "alice",
    " alice",
    "alice\t",
    "\u00a0alice",
    "alice\u3000",
    "\u2003alice\u2009",
    "\nalice\r\n",
    "\ufeffalice",
    "ALICE",
    "Alice",
    "ＡＬＩＣＥ",
    "\u3000Ａｌｉｃｅ\u00a0",
  ])("%j is alice", (typed) => {
    expect(normalizeUsername(typed)).toBe("alice");
  });

  it("keeps what tells usernames apart", () => {
    expect(normalizeUsername("al ice")).toBe("al ice");
    expect(normalizeUsername("alice2")).toBe("alice2");
    expect(normalizeUsername("Élodie")).toBe(normalizeUsername("E\u0301lodie"));
    expect(normalizeUsername("Élodie")).not.toBe("elodie");
  });

  it("is a fixed point: normalising twice changes nothing", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme-composite" }), (s) => {
        const once = normalizeUsername(s);
        expect(normalizeUsername(once)).toBe(once);
      }),
      { numRuns: 2_000 },
    );
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), (s) => {
        const once = normalizeUsername(s);
        expect(normalizeUsername(once)).toBe(once);
      }),
      { numRuns: 2_000 },
    );
  });
});

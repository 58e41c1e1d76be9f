import { describe, expect, it } from "vitest";
import { normalizeUserCode } from "./user-code";

describe("normalizeUserCode", () => {
  it.each([
    ["BDWP-QHLT", "BDWP-QHLT"],
    ["bdwp-qhlt", "BDWP-QHLT"],
    ["bdwpqhlt", "BDWP-QHLT"],
    ["  Bdwp qhlt ", "BDWP-QHLT"],
    ["BDWP–QHLT", "BDWP-QHLT"],
    ["ＢＤＷＰ－ＱＨＬＴ", "BDWP-QHLT"],
    // Look-alikes that can only mean one letter of the alphabet.
    ["bdwp-qh1t", "BDWP-QHLT"],
    ["BDWP-QHIT", "BDWP-QHLT"],
    ["8DWP-QH|T", "BDWP-QHLT"],
    ["BDW5-2HLT", "BDWS-ZHLT"],
  ])("reads %j as %s", (typed, code) => {
    expect(normalizeUserCode(typed)).toEqual({ ok: true, code });
  });

  it.each([
    ["BDWP-QHL", /8 letters/],
    ["BDWP-QHLTX", /8 letters/],
    ["", /8 letters/],
    ["BDWP-QH0T", /no vowels, no 0 or O/],
    ["BDWP-QHOT", /no vowels, no 0 or O/],
    ["BDWP-QHAT", /no vowels/],
    ["BDWP-QH😀T", /letters/],
  ])("refuses %j", (typed, reason) => {
    const result = normalizeUserCode(typed);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(reason);
  });
});

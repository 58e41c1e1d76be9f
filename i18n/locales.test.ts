import { describe, expect, it } from "vitest";
import { pickLocale } from "./locales";

describe("pickLocale", () => {
  it.each([
    [null, "en"],
    ["", "en"],
    ["zh-CN,zh;q=0.9,en;q=0.8", "zh-CN"],
    ["zh-Hans-CN", "zh-CN"],
    ["zh", "zh-CN"],
    ["en-GB,en;q=0.9", "en"],
    ["fr-FR,fr;q=0.9", "en"],
    ["fr-FR,zh;q=0.5,en;q=0.4", "zh-CN"],
    ["en;q=0.2,zh-TW;q=0.8", "zh-CN"],
    ["zh;q=0,en", "en"],
    ["*", "en"],
    ["en;q=abc,zh", "zh-CN"],
  ])("%j → %s", (header, locale) => {
    expect(pickLocale(header)).toBe(locale);
  });
});

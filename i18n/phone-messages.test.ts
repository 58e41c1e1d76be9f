import { describe, expect, it } from "vitest";
import en from "../messages/en/phone.json";
import zh from "../messages/zh-CN/phone.json";

/** Every key path of a message tree, with the {placeholders} its text uses. */
function shape(tree: object, prefix = ""): string[] {
  return Object.entries(tree).flatMap(([key, value]) =>
    typeof value === "string"
      ? [
          `${prefix}${key} ${[...value.matchAll(/\{(\w+)/g)]
            .map((m) => m[1])
            .sort()
            .join(",")}`,
        ]
      : shape(value as object, `${prefix}${key}.`),
  );
}

describe("namespace phone", () => {
  it("has every message in English and Chinese, with the same placeholders", () => {
    expect(shape(zh).sort()).toEqual(shape(en).sort());
  });

  it("has Chinese text in the Chinese file (no English left behind)", () => {
    const untranslated = shape(zh)
      .map((line) => line.split(" ")[0] ?? "")
      .filter((path) => {
        const text = path
          .split(".")
          .reduce<unknown>((t, k) => (t as Record<string, unknown>)[k], zh);
        return typeof text === "string" && !/[\u4e00-\u9fff]/.test(text);
      });
    expect(untranslated).toEqual([]);
  });
});

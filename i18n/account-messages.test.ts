import { describe, expect, it } from "vitest";
import en from "../messages/en/account.json";
import zh from "../messages/zh-CN/account.json";

/** Every key path of a message tree with its text. */
function entries(tree: object, prefix = ""): [string, string][] {
  return Object.entries(tree).flatMap(([key, value]) =>
    typeof value === "string"
      ? [[`${prefix}${key}`, value] as [string, string]]
      : entries(value as object, `${prefix}${key}.`),
  );
}

/** The arguments a message takes (`{name}`, `{count, plural, …}`), not the words inside a plural's cases. */
const args = (text: string) => [...text.matchAll(/\{(\w+)(?=[,}])/g)].map((m) => m[1]).sort();

describe("namespace account", () => {
  it("has every message in English and Chinese, with the same arguments", () => {
    const zhByKey = new Map(entries(zh));
    expect([...zhByKey.keys()].sort()).toEqual(
      entries(en)
        .map(([k]) => k)
        .sort(),
    );
    for (const [key, text] of entries(en)) {
      expect(args(zhByKey.get(key) ?? ""), key).toEqual(args(text));
    }
  });

  it("has Chinese text in the Chinese file (no English left behind)", () => {
    expect(entries(zh).filter(([, text]) => !/[\u4e00-\u9fff]/.test(text))).toEqual([]);
  });
});

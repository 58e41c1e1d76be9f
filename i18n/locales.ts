/**
 * The languages the interface speaks, and how a request picks one: from the
 * browser's Accept-Language (RFC 9110 §12.5.4), best quality first. Any Chinese
 * tag reads the Simplified Chinese text (the closest we have); anything else
 * not offered falls back to English.
 */
export const locales = ["en", "zh-CN"] as const;
export type Locale = (typeof locales)[number];
export const defaultLocale: Locale = "en";

/** The cookie that keeps a language picked with the switch on every page (over Accept-Language). */
export const LOCALE_COOKIE = "qrl-locale";

export const isLocale = (value: unknown): value is Locale =>
  typeof value === "string" && (locales as readonly string[]).includes(value);

function match(tag: string): Locale | undefined {
  const lower = tag.toLowerCase();
  if (lower === "en" || lower.startsWith("en-")) return "en";
  if (lower === "zh" || lower.startsWith("zh-")) return "zh-CN";
  return undefined;
}

/** The best offered locale for an Accept-Language header value. */
export function pickLocale(acceptLanguage: string | null | undefined): Locale {
  if (!acceptLanguage) return defaultLocale;
  const ranked = acceptLanguage
    .split(",")
    .slice(0, 20)
    .map((part, index) => {
      const [tag = "", ...params] = part.trim().split(";");
      const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
      const quality = q === undefined ? 1 : Number(q.slice(2));
      return { tag: tag.trim(), quality: Number.isFinite(quality) ? quality : 0, index };
    })
    .filter((entry) => entry.tag !== "" && entry.quality > 0)
    .sort((a, b) => b.quality - a.quality || a.index - b.index);
  for (const { tag } of ranked) {
    const locale = match(tag);
    if (locale) return locale;
  }
  return defaultLocale;
}

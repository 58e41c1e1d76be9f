"use client";

import { usePathname, useSearchParams } from "next/navigation";
import { type Locale, locales } from "@/i18n/locales";
import { useWords, useWordsLocale } from "./words";

/** Each language's name in itself, so anyone finds their own. */
const NAMES: Record<Locale, string> = { en: "English", "zh-CN": "中文（简体）" };

/**
 * At the foot of every page: the other languages, each a button of a plain
 * form (no JavaScript needed) that keeps the choice in a cookie and comes
 * back to this page. A browser asking for Traditional Chinese gets Simplified
 * (the closest there is) and can switch to English here.
 */
export function LanguageSwitch() {
  const t = useWords("common");
  const current = useWordsLocale();
  const path = usePathname();
  const query = useSearchParams().toString();
  return (
    <footer className="language-switch">
      <form method="post" action="/language" aria-label={t("language")}>
        <input type="hidden" name="back" value={`${path}${query ? `?${query}` : ""}`} />
        {locales
          .filter((l) => l !== current)
          .map((l) => (
            <button key={l} type="submit" name="locale" value={l} lang={l} className="link-button">
              {NAMES[l]}
            </button>
          ))}
      </form>
    </footer>
  );
}

import "server-only";
import { isLocale, LOCALE_COOKIE, type Locale, pickLocale } from "@/i18n/locales";
import en from "@/messages/en/oidc.json";
import zh from "@/messages/zh-CN/oidc.json";
import { parseCookies } from "../http/cookies";

/**
 * The few pages oidc-provider itself renders (its errors, the device grant's
 * code and confirm pages, the logout question), in the interface's language
 * and look, without scripts (the site's CSP allows none inline). Everything
 * shown is escaped.
 */
type Messages = typeof en;
const MESSAGES: Record<Locale, Messages> = { en, "zh-CN": zh };

export function localeOf(headers: { cookie?: string; "accept-language"?: string }): Locale {
  const cookies = parseCookies(new Headers(headers.cookie ? { cookie: headers.cookie } : {}));
  const picked = cookies.get(LOCALE_COOKIE);
  return isLocale(picked) ? picked : pickLocale(headers["accept-language"]);
}

/** A translator for one locale: `t("device.confirmHeading", { app })`, the values escaped. */
export function translator(locale: Locale) {
  return (key: string, values: Record<string, string> = {}) => {
    let node: unknown = MESSAGES[locale];
    for (const part of key.split(".")) node = (node as Record<string, unknown>)?.[part];
    const text = typeof node === "string" ? node : key;
    return escapeHtml(text).replace(/\{(\w+)\}/g, (_, name: string) =>
      name in values ? `<b>${escapeHtml(values[name] ?? "")}</b>` : `{${name}}`,
    );
  };
}

export const escapeHtml = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c,
  );

const STYLE = `body{font-family:system-ui,sans-serif;background:#f5f5f4;color:#1c1917;margin:0}
main{max-width:28rem;margin:4rem auto;padding:2rem;background:#fff;border-radius:12px;box-shadow:0 1px 3px #0002}
h1{font-size:1.4rem;margin-top:0}button{font:inherit;padding:.6rem 1.2rem;margin:.5rem .5rem 0 0;border-radius:8px;border:1px solid #a8a29e;background:#fff;cursor:pointer}
button.primary{background:#1d4ed8;color:#fff;border-color:#1d4ed8}input{font:inherit;padding:.5rem;width:100%;box-sizing:border-box;text-transform:uppercase;letter-spacing:.1em}
pre{white-space:pre-wrap;background:#f5f5f4;padding:.5rem;border-radius:6px}.muted{color:#57534e}`;

/** A whole page; `body` is HTML already escaped by its maker. */
export function page(locale: Locale, title: string, body: string): string {
  return `<!DOCTYPE html><html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${title}</title><style>${STYLE}</style></head><body><main>${body}</main></body></html>`;
}

import "server-only";
import { isLocale, LOCALE_COOKIE, type Locale, pickLocale } from "@/i18n/locales";
import en from "@/messages/en/oidc.json";
import zh from "@/messages/zh-CN/oidc.json";
import { parseCookies } from "../http/cookies";
import { registry } from "../registry";

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

/** Used where the app's own style sheet is not loaded (the admin command, unit tests). */
const FALLBACK_STYLE = `body{font-family:system-ui,sans-serif;background:#f6f7f9;color:#15171a;margin:0}
.card{max-width:460px;margin:2rem auto;padding:24px;background:#fff;border-radius:16px;box-shadow:0 1px 3px #0002}
.btn{font:inherit;min-height:48px;padding:0 20px;margin:.5rem .5rem 0 0;border-radius:10px;border:2px solid #5b6270;background:#fff;cursor:pointer}
.btn-primary{background:#1d5bd6;color:#fff;border-color:#1d5bd6}.btn-danger{background:#b42318;color:#fff;border-color:#b42318}
.sr-only{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}.muted{color:#5b6270}`;

/** Rules of the provider pages beyond the app's (the device code field, the error details). */
const EXTRA_STYLE = `.oidc-page input[name=user_code]{font:inherit;font-size:1.25rem;padding:.6rem;width:100%;box-sizing:border-box;text-transform:uppercase;letter-spacing:.1em;border-radius:10px;border:2px solid var(--muted,#5b6270)}
.oidc-page pre{white-space:pre-wrap;overflow-wrap:anywhere;padding:.5rem;border-radius:6px;border:1px solid var(--muted,#5b6270)}`;

/**
 * A whole page; `body` is HTML already escaped by its maker. It looks like
 * the phone's pages (/m): the app's own style sheet (the server entry loads
 * it, lib/server/requester-html.tsx) and its card layout.
 */
export function page(locale: Locale, title: string, body: string): string {
  const style = registry().pageStyle ?? FALLBACK_STYLE;
  return `<!DOCTYPE html><html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${title}</title><style>${style}\n${EXTRA_STYLE}</style></head><body><main class="phone oidc-page"><section class="card">${body}</section></main></body></html>`;
}

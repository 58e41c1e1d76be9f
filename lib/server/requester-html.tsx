import "server-only";
import appCss from "qrl:app-css";
import { NextIntlClientProvider } from "next-intl";
import { renderToStaticMarkup } from "react-dom/server";
import { RequesterDetails } from "@/components/requester-details";
import { ScanWarnings } from "@/components/scan-warnings";
import { isLocale, type Locale } from "@/i18n/locales";
import type { ScannedTicket } from "@/lib/api/shapes";
import enCommon from "@/messages/en/common.json";
import enOrigin from "@/messages/en/origin.json";
import enPhone from "@/messages/en/phone.json";
import zhCommon from "@/messages/zh-CN/common.json";
import zhOrigin from "@/messages/zh-CN/origin.json";
import zhPhone from "@/messages/zh-CN/phone.json";

const MESSAGES: Record<Locale, Record<string, unknown>> = {
  en: { common: enCommon, origin: enOrigin, phone: enPhone },
  "zh-CN": { common: zhCommon, origin: zhOrigin, phone: zhPhone },
};

/**
 * The QR confirm screen's own warnings and requester details
 * (components/scan-warnings.tsx, components/requester-details.tsx), rendered
 * to HTML for a page React does not serve: the device grant's confirm screen
 * (lib/oidc/provider-pages.ts). Times are shown in UTC (no browser here).
 */
export function requesterHtml(locale: string, view: ScannedTicket): string {
  const lang: Locale = isLocale(locale) ? locale : "en";
  return renderToStaticMarkup(
    <NextIntlClientProvider locale={lang} messages={MESSAGES[lang]} timeZone="UTC">
      <ScanWarnings ticket={view} />
      <RequesterDetails ticket={view} />
    </NextIntlClientProvider>,
  );
}

/** The app's style sheets (app/globals.css, the phone's app/(phone)/m/phone.css), bundled as text. */
export const APP_CSS: string = appCss;

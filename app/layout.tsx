import type { Metadata, Viewport } from "next";
import { headers } from "next/headers";
import { getLocale, getTranslations } from "next-intl/server";
import type { ReactNode } from "react";
import { LanguageSwitch } from "@/components/language-switch";
import { Providers } from "@/components/providers";
import { ClientWords } from "@/i18n/client-words";
import "./globals.css";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("common");
  return { title: t("appName"), description: t("description") };
}

export const viewport: Viewport = { width: "device-width", initialScale: 1 };

// Every page is rendered per request: its scripts carry that response's CSP nonce (proxy.ts).
export const dynamic = "force-dynamic";

/**
 * The language: the switch's cookie, else the browser's Accept-Language (i18n/request.ts).
 * `<html class="no-js">` until the first script runs (with this response's CSP nonce), so
 * CSS can show what works without JavaScript instead of what needs it (e.g. /login's QR).
 */
export default async function RootLayout({ children }: { children: ReactNode }) {
  const [locale, nonce] = await Promise.all([
    getLocale(),
    headers().then((h) => h.get("x-nonce") ?? undefined),
  ]);
  return (
    <html lang={locale} className="no-js" suppressHydrationWarning>
      <head>
        <script
          nonce={nonce}
          // biome-ignore lint/security/noDangerouslySetInnerHtml: a fixed string, no input in it
          dangerouslySetInnerHTML={{ __html: 'document.documentElement.classList.remove("no-js")' }}
        />
      </head>
      <body>
        {/* Only `common` here (the language switch, sign-out), without next-intl's client
            runtime (components/words.tsx): each page adds its own words. */}
        <ClientWords namespaces={["common"]}>
          <Providers>{children}</Providers>
          <LanguageSwitch />
        </ClientWords>
      </body>
    </html>
  );
}

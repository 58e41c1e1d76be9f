import "server-only";
import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";

type Page = "home" | "scan" | "request" | "link" | "sessions" | "activity" | "security" | "recover";

/** A phone page's `generateMetadata`: its own title ("Scan a code · QR login"), in the reader's language. */
export function phoneTitle(page: Page) {
  return async (): Promise<Metadata> => {
    const t = await getTranslations("phone.titles");
    return { title: t(page) };
  };
}

import { headers } from "next/headers";
import { getRequestConfig } from "next-intl/server";
import { type Locale, pickLocale } from "./locales";
import { namespaces } from "./namespaces";

type Messages = Record<string, unknown>;

async function load(locale: Locale): Promise<Messages> {
  const entries = await Promise.all(
    namespaces.map(async (ns) => {
      const mod = (await import(`../messages/${locale}/${ns}.json`)) as { default: Messages };
      return [ns, mod.default] as const;
    }),
  );
  return Object.fromEntries(entries);
}

/** Per request: the locale from Accept-Language, and every namespace's messages. */
export default getRequestConfig(async () => {
  const locale = pickLocale((await headers()).get("accept-language"));
  return { locale, messages: await load(locale) };
});

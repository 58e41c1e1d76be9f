import { cookies, headers } from "next/headers";
import { getRequestConfig } from "next-intl/server";
import { isLocale, LOCALE_COOKIE, type Locale, pickLocale } from "./locales";
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

/** Per request: the language picked with the switch (a cookie), else Accept-Language's; and the messages. */
export default getRequestConfig(async () => {
  const picked = (await cookies()).get(LOCALE_COOKIE)?.value;
  const locale = isLocale(picked) ? picked : pickLocale((await headers()).get("accept-language"));
  return { locale, messages: await load(locale) };
});

import { NextIntlClientProvider } from "next-intl";
import { getMessages } from "next-intl/server";
import type { ReactNode } from "react";
import type { Namespace } from "./namespaces";

/**
 * The message namespaces the client components under it use, and no others:
 * each page sends the browser only its own words (issue 25.7), not every
 * namespace of the app. A nested provider replaces its parent's messages, so
 * name every namespace a client component below reads (`common` included).
 * Server components read every namespace through getTranslations either way.
 */
export async function ClientMessages({
  namespaces,
  children,
}: {
  namespaces: readonly Namespace[];
  children: ReactNode;
}) {
  const all = await getMessages();
  const messages = Object.fromEntries(namespaces.map((ns) => [ns, all[ns]]));
  return <NextIntlClientProvider messages={messages}>{children}</NextIntlClientProvider>;
}

import { getLocale, getMessages } from "next-intl/server";
import type { ReactNode } from "react";
import { WordsProvider } from "@/components/words";
import type { Namespace } from "./namespaces";

/**
 * ClientMessages' light twin (components/words.tsx): the namespaces the client
 * components under it read with `useWords`, and no others, without the
 * next-intl client runtime. Used by the root layout (`common`) and /login.
 */
export async function ClientWords({
  namespaces,
  children,
}: {
  namespaces: readonly Namespace[];
  children: ReactNode;
}) {
  const [all, locale] = await Promise.all([getMessages(), getLocale()]);
  const messages = Object.fromEntries(namespaces.map((ns) => [ns, all[ns]]));
  return (
    <WordsProvider locale={locale} messages={messages}>
      {children}
    </WordsProvider>
  );
}

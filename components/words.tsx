"use client";

import format from "icu-minify/format";
import { Children, createContext, type ReactNode, useContext, useMemo } from "react";

type Messages = Record<string, unknown>;
type Values = Record<string, string | number>;
type Tags = Record<string, string | number | ((chunks: ReactNode) => ReactNode)>;

interface Words {
  locale: string;
  messages: Messages;
}

const WordsContext = createContext<Words>({ locale: "en", messages: {} });

/**
 * The words of the client components under it: the message namespaces the
 * server picked (i18n/client-words.tsx), as next-intl compiled them at build
 * time, formatted with next-intl's own small formatter (icu-minify). The
 * lighter twin of NextIntlClientProvider for the pages whose JavaScript is
 * counted (every page's root layout, /login: issue 25.7): no next-intl
 * client runtime in their bundles. A nested provider replaces its parent's.
 */
export function WordsProvider({
  locale,
  messages,
  children,
}: Words & {
  children: ReactNode;
}) {
  const value = useMemo(() => ({ locale, messages }), [locale, messages]);
  return <WordsContext.Provider value={value}>{children}</WordsContext.Provider>;
}

const formatters = {
  getDateTimeFormat: (...a: ConstructorParameters<typeof Intl.DateTimeFormat>) =>
    new Intl.DateTimeFormat(...a),
  getNumberFormat: (...a: ConstructorParameters<typeof Intl.NumberFormat>) =>
    new Intl.NumberFormat(...a),
  getPluralRules: (...a: ConstructorParameters<typeof Intl.PluralRules>) =>
    new Intl.PluralRules(...a),
};

/** The language of the words in scope. */
export const useWordsLocale = () => useContext(WordsContext).locale;

/**
 * `t(key, values)` for the namespace (`"login"`, `"login.code"`), like
 * next-intl's useTranslations; `t.rich(key, tags)` for messages with tags.
 * A missing message shows its key.
 */
export function useWords(namespace: string) {
  const { locale, messages } = useContext(WordsContext);
  return useMemo(() => {
    const find = (key: string) =>
      `${namespace}.${key}`
        .split(".")
        .reduce<unknown>((node, part) => (node as Messages | undefined)?.[part], messages);
    const run = (key: string, values?: Tags) => {
      const message = find(key);
      if (message === undefined) return `${namespace}.${key}`;
      return format(message as Parameters<typeof format>[0], locale, values as never, {
        formatters,
      }) as ReactNode;
    };
    const t = (key: string, values?: Values) => String(run(key, values));
    t.rich = (key: string, tags: Tags): ReactNode => {
      const out = run(key, tags);
      // Parts side by side need keys, as next-intl's rich text gives them.
      return Array.isArray(out) ? Children.toArray(out) : out;
    };
    return t;
  }, [namespace, locale, messages]);
}

"use client";

import { useTranslations } from "next-intl";
import { Button } from "./ui/button";

/**
 * New recovery codes, shown this once: the list to write down or save, and
 * (with JavaScript) a button that hides it once saved. Without JavaScript it
 * stays until the person leaves the page.
 */
export function RecoveryCodeList({ codes, onSaved }: { codes: string[]; onSaved?: () => void }) {
  const t = useTranslations("recovery");
  return (
    <section className="card warning" aria-labelledby="recovery-codes-title">
      <h2 id="recovery-codes-title">{t("codesTitle")}</h2>
      <p>{t("codesHelp")}</p>
      <ol aria-label={t("codesLabel")} className="recovery-codes">
        {codes.map((code) => (
          <li key={code}>
            <code>{code}</code>
          </li>
        ))}
      </ol>
      <p className="muted">{t("codesOnce")}</p>
      {onSaved ? <Button onClick={onSaved}>{t("codesSaved")}</Button> : null}
    </section>
  );
}

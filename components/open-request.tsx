"use client";

import Link from "next/link";
import { useTranslations } from "next-intl";
import { FocusHeading } from "./focus-heading";
import { NeverApproveNote } from "./never-approve-note";
import { Button } from "./ui/button";

/**
 * A sign-in request opened from a link on another site: nothing is sent to
 * the computer (not even that it was opened, nor who opened it) until the
 * person taps "Open this sign-in request".
 */
export function OpenRequest({ onOpen }: { onOpen: () => void }) {
  const t = useTranslations("phone.fromLink");
  return (
    <section aria-labelledby="from-link-title">
      <FocusHeading id="from-link-title">{t("title")}</FocusHeading>
      <p>{t("text")}</p>
      <p className="note">{t("onlyIf")}</p>
      <div className="actions">
        <Button className="btn-wide" onClick={onOpen}>
          {t("open")}
        </Button>
        <Link className="btn btn-secondary" href="/m">
          {t("back")}
        </Link>
      </div>
      <NeverApproveNote />
    </section>
  );
}

"use client";

import Link from "next/link";
import { useTranslations } from "next-intl";
import { ApiRequestError } from "./api-client";

/** True for the scan's 410 `qr_replaced`: the QR was photographed or opened after a newer one replaced it. */
export const isReplacedCode = (error: unknown) =>
  error instanceof ApiRequestError && error.code === "qr_replaced";

/** What the phone says for a replaced QR: scan the one on the screen now. */
export function ReplacedCode() {
  const t = useTranslations("rotation");
  return (
    <div role="alert" className="result result-warn">
      <h1>{t("replacedTitle")}</h1>
      <p>{t("replacedText")}</p>
      <Link className="btn btn-secondary" href="/m">
        {t("back")}
      </Link>
    </div>
  );
}

import { useTranslations } from "next-intl";

/** User education (RFC 10027): one sentence, on the phone's home and on the confirm screen. */
export function NeverApproveNote() {
  const t = useTranslations("origin");
  return <p className="warning">{t("neverApproveSent")}</p>;
}

"use client";

import { useLocale, useTranslations } from "next-intl";
import type { ScannedTicket } from "./api-client";
import { RequesterOrigin } from "./requester-origin";
import { SpokenCode } from "./spoken-code";

/** Who is asking to sign in: the computer's browser, system, address, when it asked, and its code. */
export function RequesterDetails({ ticket }: { ticket: ScannedTicket }) {
  const t = useTranslations("phone.details");
  const locale = useLocale();
  const { browser, os, ip, createdAt } = ticket.requester;
  return (
    <dl className="details">
      <dt>{t("browser")}</dt>
      <dd>{browser}</dd>
      <dt>{t("os")}</dt>
      <dd>{os}</dd>
      <dt>{t("ip")}</dt>
      <dd className="nowrap">{ip}</dd>
      <RequesterOrigin ticket={ticket} />
      <dt>{t("at")}</dt>
      <dd>
        <time dateTime={createdAt}>
          {/* Shown only in the browser (after the scan): the phone's own time zone. */}
          {new Date(createdAt).toLocaleTimeString(locale, {
            hour: "2-digit",
            minute: "2-digit",
            second: "2-digit",
          })}
        </time>
      </dd>
      <dt>{t("code")}</dt>
      <dd className="nowrap">
        <SpokenCode code={ticket.userCode} className="user-code" />
      </dd>
    </dl>
  );
}

"use client";

import { useLocale, useTranslations } from "next-intl";
import type { Location, ScannedTicket } from "./api-client";

/** A country's name in the page's language, from its ISO 3166-1 code. */
function countryName(code: string, locale: string): string {
  try {
    return new Intl.DisplayNames([locale], { type: "region" }).of(code) ?? code;
  } catch {
    return code;
  }
}

/** "Berlin, Berlin, Germany", or "On your local network"; null when nothing is known. */
export function usePlace(location: Location | undefined): string | null {
  const t = useTranslations("origin");
  const locale = useLocale();
  if (!location) return null;
  if (location.local) return t("localNetwork");
  const country = location.country ? countryName(location.country, locale) : undefined;
  const parts = [location.city, location.region, country].filter(
    (part, i, all): part is string => !!part && all.indexOf(part) === i,
  );
  return parts.length > 0 ? parts.join(t("separator")) : null;
}

/**
 * Where the computer is asking from and whether this user signed in from
 * that browser before (RFC 10027: trusted networks, trusted devices), as
 * rows of the requester's details list.
 */
export function RequesterOrigin({ ticket }: { ticket: ScannedTicket }) {
  const t = useTranslations("origin");
  const place = usePlace(ticket.requester.location);
  const { signedInBefore } = ticket.requester;
  return (
    <>
      {place ? (
        <>
          <dt>{t("location")}</dt>
          <dd>{place}</dd>
        </>
      ) : null}
      {signedInBefore === undefined ? null : (
        <>
          <dt>{t("thisBrowser")}</dt>
          <dd>{signedInBefore ? t("signedInBefore") : t("firstSignIn")}</dd>
        </>
      )}
    </>
  );
}

/** The danger warning for a request from another country than the phone's. */
export function CountryWarning({ ticket }: { ticket: ScannedTicket }) {
  const t = useTranslations("origin");
  const locale = useLocale();
  const code = ticket.requester.location?.country;
  return <>{t("differentCountry", { country: code ? countryName(code, locale) : "?" })}</>;
}

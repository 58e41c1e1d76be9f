import { useTranslations } from "next-intl";
import type { ScannedTicket } from "./api-client";
import { CountryWarning } from "./requester-origin";

/**
 * Signs that the code was relayed, in a danger box (icon, tinted background)
 * announced as an alert; when any is shown, Deny is the primary answer.
 */
export function ScanWarnings({ ticket }: { ticket: ScannedTicket }) {
  const t = useTranslations("phone.confirm");
  const { warnings } = ticket;
  if (warnings.length === 0) return null;
  return (
    <div role="alert" className="danger-box" aria-labelledby="warnings-title">
      <p id="warnings-title" className="danger-title">
        <span aria-hidden="true" className="danger-icon">
          ⚠
        </span>{" "}
        {t("warningsTitle")}
      </p>
      {warnings.map((w) => (
        <p key={w}>{w === "different_country" ? <CountryWarning ticket={ticket} /> : t(w)}</p>
      ))}
    </div>
  );
}

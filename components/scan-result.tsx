"use client";

import Link from "next/link";
import { useTranslations } from "next-intl";
import { FocusHeading } from "./focus-heading";

export type Outcome =
  /** `asking`: the computer asks its user "Continue as …?" first (this account is new there). */
  | { kind: "waiting"; asking?: boolean }
  | { kind: "signedIn"; browser: string; os: string }
  | { kind: "unfinished" | "denied" | "reported" | "cancelled" | "refused" | "expired" };

const TONE: Record<Outcome["kind"], "ok" | "warn" | "wait"> = {
  waiting: "wait",
  refused: "warn",
  signedIn: "ok",
  unfinished: "warn",
  denied: "warn",
  reported: "warn",
  cancelled: "warn",
  expired: "warn",
};

/**
 * Where a request ended up, said as it is (approved is not yet signed in), and
 * always with a next action: scan another code, your devices, your history.
 */
export function ScanResult({ outcome }: { outcome: Outcome }) {
  const t = useTranslations("phone");
  const title =
    outcome.kind === "signedIn"
      ? t("result.signedInTitle", { browser: outcome.browser, os: outcome.os })
      : t(`result.${outcome.kind}Title`);
  return (
    <div role="status" className={`result result-${TONE[outcome.kind]}`}>
      <FocusHeading>{title}</FocusHeading>
      <p>
        {outcome.kind === "waiting" && outcome.asking
          ? t("result.askingText")
          : t(`result.${outcome.kind}Text`)}
      </p>
      <NextActions outcome={outcome.kind} />
    </div>
  );
}

/** The ways on from a final screen (also from a problem screen). */
export function NextActions({ outcome }: { outcome: Outcome["kind"] | "problem" }) {
  const t = useTranslations("phone.nav");
  if (outcome === "waiting") return null;
  return (
    <ul className="next-actions">
      <li>
        <Link className="btn btn-primary" href="/m">
          {t("scanAnother")}
        </Link>
      </li>
      {outcome === "signedIn" || outcome === "reported" ? (
        <li>
          <Link className="btn btn-secondary" href="/m/sessions">
            {t("sessions")}
          </Link>
        </li>
      ) : null}
      {outcome === "reported" || outcome === "denied" || outcome === "refused" ? (
        <li>
          <Link className="btn btn-secondary" href="/m/activity">
            {t("history")}
          </Link>
        </li>
      ) : null}
    </ul>
  );
}

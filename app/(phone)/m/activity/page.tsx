import Link from "next/link";
import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { LocalTime } from "@/components/local-time";
import { currentUser } from "@/lib/auth/session";
import { type HistoryEntry, recentHistory } from "@/lib/history/history";
import { phoneTitle } from "@/lib/phone/page-title";

export const dynamic = "force-dynamic";
export const generateMetadata = phoneTitle("activity");

/** The message key that says what happened. */
function entryKey(entry: HistoryEntry) {
  if (entry.kind === "signed_out") {
    return entry.by === "computer" ? "signed_out_computer" : "signed_out_phone";
  }
  return entry.kind;
}

/** The account's recent QR sign-ins, declines and sign-outs, newest first. */
export default async function ActivityPage() {
  const user = await currentUser();
  if (!user) redirect("/m");
  const entries = await recentHistory(user.id);
  const t = await getTranslations("phone");
  return (
    <section className="card" aria-labelledby="activity-title">
      <h1 id="activity-title">{t("activity.title")}</h1>
      {entries.length === 0 ? (
        <p className="muted">{t("activity.empty")}</p>
      ) : (
        <ol aria-label={t("activity.list")} className="plain-list">
          {entries.map((entry) => (
            <li key={`${entry.at}-${entry.kind}-${entry.ip}`}>
              <h2>{t(`activity.${entryKey(entry)}`)}</h2>
              <dl className="details">
                <dt>{t("activity.when")}</dt>
                <dd>
                  <LocalTime iso={new Date(entry.at).toISOString()} />
                </dd>
                <dt>{t("activity.computer")}</dt>
                <dd>{t("activity.device", { browser: entry.browser, os: entry.os })}</dd>
                <dt>{t("activity.ip")}</dt>
                <dd>{entry.ip}</dd>
              </dl>
            </li>
          ))}
        </ol>
      )}
      <p className="muted">{t("activity.kept")}</p>
      <p>
        <Link href="/m">{t("nav.back")}</Link>
      </p>
    </section>
  );
}

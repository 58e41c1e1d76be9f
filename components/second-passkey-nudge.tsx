import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { Button } from "./ui/button";

/**
 * The gentle prompt for an account with a single passkey: a second one keeps
 * approvals possible when a phone is lost. "Not now" is a plain form (works
 * without JavaScript, posting to /m/nudge) and is remembered on this phone.
 */
export async function SecondPasskeyNudge({ addHref, back }: { addHref: string; back: string }) {
  const t = await getTranslations("recovery.nudge");
  return (
    <aside className="card notice" aria-label={t("add")}>
      <p>{t("text")}</p>
      <div className="answer-buttons">
        <Link className="btn btn-primary" href={addHref}>
          {t("add")}
        </Link>
        <form method="post" action="/m/nudge">
          <input type="hidden" name="back" value={back} />
          <Button type="submit" variant="secondary">
            {t("dismiss")}
          </Button>
        </form>
      </div>
    </aside>
  );
}

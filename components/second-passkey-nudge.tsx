import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { dismissNudge } from "@/app/(phone)/m/nudge/actions";
import { Button } from "./ui/button";

/**
 * The gentle prompt for an account with a single passkey: a second one keeps
 * approvals possible when a phone is lost. "Not now" is a plain form (works
 * without JavaScript) and is remembered on this phone.
 */
export async function SecondPasskeyNudge({ addHref }: { addHref: string }) {
  const t = await getTranslations("recovery.nudge");
  return (
    <aside className="card notice" aria-label={t("add")}>
      <p>{t("text")}</p>
      <div className="answer-buttons">
        <Link className="btn btn-primary" href={addHref}>
          {t("add")}
        </Link>
        <form action={dismissNudge}>
          <Button type="submit" variant="secondary">
            {t("dismiss")}
          </Button>
        </form>
      </div>
    </aside>
  );
}

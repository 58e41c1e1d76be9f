import type { Metadata } from "next";
import Link from "next/link";
import { getTranslations } from "next-intl/server";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("account");
  return { title: t("titles.account") };
}

type Search = Promise<Record<string, string | string[] | undefined>>;

/**
 * Where /account's forms end when this computer is signed out by them: the
 * account deleted, or the password changed on a computer signed in by QR
 * (signed out with the phone that approved it). Says what happened, in words.
 */
export default async function AccountEndedPage({ searchParams }: { searchParams: Search }) {
  const deleted = (await searchParams).why !== "password";
  const t = await getTranslations("account");
  return (
    <main className="page">
      <section className="card" aria-labelledby="ended-title">
        <h1 id="ended-title">
          {deleted ? t("computer.deletedTitle") : t("computer.passwordChangedTitle")}
        </h1>
        <p role="status">{deleted ? t("deleted") : t("computer.passwordChanged")}</p>
        <p>
          {deleted ? (
            <Link href="/">{t("computer.back")}</Link>
          ) : (
            <Link className="btn btn-primary" href="/login?callbackUrl=%2Faccount">
              {t("computer.signInAgain")}
            </Link>
          )}
        </p>
      </section>
    </main>
  );
}

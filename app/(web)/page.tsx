import type { Metadata } from "next";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { SignOutButton } from "@/components/sign-out-button";
import { currentUser } from "@/lib/auth/session";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  const [t, common] = await Promise.all([getTranslations("login"), getTranslations("common")]);
  return { title: `${t("home.pageTitle")} · ${common("appName")}` };
}

export default async function Home() {
  const [user, t, common, account] = await Promise.all([
    currentUser(),
    getTranslations("login.home"),
    getTranslations("common"),
    getTranslations("account"),
  ]);
  return (
    <main className="page">
      <section className="card" aria-labelledby="home-title">
        <h1 id="home-title">{common("appName")}</h1>
        {user ? (
          <>
            <p>
              {t.rich("signedInAs", { name: user.name, b: (chunks) => <strong>{chunks}</strong> })}
            </p>
            <p>
              <Link href="/account">{account("homeLink")}</Link>
            </p>
            <SignOutButton />
          </>
        ) : (
          <>
            <p>{t("signedOut")}</p>
            <Link className="btn btn-primary" href="/login">
              {t("signIn")}
            </Link>
          </>
        )}
      </section>
    </main>
  );
}

import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { SignUpCard } from "./sign-up-card";

export async function generateMetadata(): Promise<Metadata> {
  const [t, common] = await Promise.all([getTranslations("account"), getTranslations("common")]);
  return { title: `${t("titles.signUp")} · ${common("appName")}` };
}

type Search = Promise<Record<string, string | string[] | undefined>>;

/** A new account on a computer (linked from /login's password form); signed in here after. */
export default async function SignUpPage({ searchParams }: { searchParams: Search }) {
  return (
    <main className="page">
      <SignUpCard device="computer" query={await searchParams} signIn="/login?method=password" />
    </main>
  );
}

import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { SignUpCard } from "@/app/(web)/signup/sign-up-card";
import { currentUser } from "@/lib/auth/session";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("account");
  return { title: t("titles.signUpPhone") };
}

type Search = Promise<Record<string, string | string[] | undefined>>;

/** A new account on the phone (linked from the phone's sign-in); this phone is signed in after. */
export default async function PhoneSignUpPage({ searchParams }: { searchParams: Search }) {
  if ((await currentUser())?.kind === "phone") redirect("/m");
  return <SignUpCard device="phone" query={await searchParams} signIn="/m" />;
}

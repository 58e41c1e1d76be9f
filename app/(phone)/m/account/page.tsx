import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { AccountSections } from "@/components/account-sections";
import { accounts } from "@/lib/accounts";
import { currentUser } from "@/lib/auth/session";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("account");
  return { title: t("titles.account") };
}

/** The account: its display name, its password, and deleting it. Every form works without JavaScript. */
export default async function AccountPage() {
  const user = await currentUser();
  if (user?.kind !== "phone") redirect("/m");
  const account = await (await accounts()).get(user.id);
  if (!account) redirect("/m");
  const t = await getTranslations("account");
  return (
    <AccountSections
      account={account}
      device="phone"
      passwordLead={t("password.lead")}
      footer={
        <p>
          <Link href="/m">{t("back")}</Link>
        </p>
      }
    />
  );
}

import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { AccountSections } from "@/components/account-sections";
import { accounts } from "@/lib/accounts";
import { currentUser } from "@/lib/auth/session";
import { listSessions } from "@/lib/sessions/records";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("account");
  return { title: t("titles.account") };
}

/**
 * The account on a computer: its display name, its password, and deleting
 * it, as on the phone's /m/account (the same forms and rules). A computer's
 * session only: signed out, to /login and back here; a phone's, to /m/account.
 */
export default async function DesktopAccountPage() {
  const user = await currentUser();
  if (!user) redirect(`/login?callbackUrl=${encodeURIComponent("/account")}`);
  if (user.kind !== "computer") redirect("/m/account");
  const account = await (await accounts()).get(user.id);
  if (!account) redirect(`/login?callbackUrl=${encodeURIComponent("/account")}`);
  // Signed in by QR: this computer's session ends with the phone that approved it.
  const record = (await listSessions(user.id).catch(() => [])).find((r) => r.id === user.sid);
  const t = await getTranslations("account");
  return (
    <main className="page">
      <AccountSections
        account={account}
        device="computer"
        passwordLead={t(record?.approvedBy ? "computer.passwordLeadQr" : "computer.passwordLead")}
        footer={
          <p>
            <Link href="/">{t("computer.back")}</Link>
          </p>
        }
      />
    </main>
  );
}

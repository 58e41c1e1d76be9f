import { headers } from "next/headers";
import Link from "next/link";
import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { PasskeySettings } from "@/components/passkey-settings";
import { currentUser } from "@/lib/auth/session";
import { passkeys, passkeyView } from "@/lib/passkeys";
import { phoneTitle } from "@/lib/phone/page-title";

export const dynamic = "force-dynamic";
export const generateMetadata = phoneTitle("security");

/** Passkeys: approvals that a stolen phone session alone cannot make. */
export default async function SecurityPage() {
  const user = await currentUser();
  if (user?.kind !== "phone") redirect("/m");
  const t = await getTranslations("passkeys");
  const status = await passkeys(await headers()).status(user.id);
  const initial = {
    passkeys: status.passkeys.map(passkeyView),
    requireForApproval: status.setting,
    required: status.required,
  };
  return (
    <section className="card" aria-labelledby="security-title">
      <h1 id="security-title">{t("title")}</h1>
      <p className="muted">{t("intro")}</p>
      <PasskeySettings initial={initial} />
      <p>
        <Link href="/m">{t("back")}</Link>
      </p>
    </section>
  );
}

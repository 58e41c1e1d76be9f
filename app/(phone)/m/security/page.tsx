import { headers } from "next/headers";
import Link from "next/link";
import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { PasskeySettings } from "@/components/passkey-settings";
import { RecoveryCodesPanel } from "@/components/recovery-codes-panel";
import { SecondPasskeyNudge } from "@/components/second-passkey-nudge";
import { recoveryCodes } from "@/lib/accounts";
import { currentUser } from "@/lib/auth/session";
import { passkeys, passkeyView } from "@/lib/passkeys";
import { secondPasskeyNudge } from "@/lib/phone/nudge";
import { phoneTitle } from "@/lib/phone/page-title";
import { renewRecoveryCodes } from "./actions";

export const dynamic = "force-dynamic";
export const generateMetadata = phoneTitle("security");

/** Passkeys: approvals that a stolen phone session alone cannot make; and the recovery codes. */
export default async function SecurityPage() {
  const user = await currentUser();
  if (user?.kind !== "phone") redirect("/m");
  const t = await getTranslations("passkeys");
  const [status, remaining] = await Promise.all([
    passkeys(await headers()).status(user.id),
    recoveryCodes().remaining(user.id),
  ]);
  const initial = {
    passkeys: status.passkeys.map(passkeyView),
    requireForApproval: status.setting,
    required: status.required,
  };
  return (
    <section className="card" aria-labelledby="security-title">
      <h1 id="security-title">{t("title")}</h1>
      <p className="muted">{t("intro")}</p>
      {(await secondPasskeyNudge(user.id, status.passkeys.length)) ? (
        <SecondPasskeyNudge addHref="#passkey-name" back="/m/security" />
      ) : null}
      <PasskeySettings initial={initial} />
      <RecoveryCodesPanel initial={{ remaining }} action={renewRecoveryCodes} />
      <p>
        <Link href="/m">{t("back")}</Link>
      </p>
    </section>
  );
}

import { headers } from "next/headers";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { AccountChangeNotices } from "@/components/account-change-notices";
import { FocusHeading } from "@/components/focus-heading";
import { NeverApproveNote } from "@/components/never-approve-note";
import { PhoneSignIn } from "@/components/phone-sign-in";
import { QrScanner } from "@/components/qr-scanner";
import { SecondPasskeyNudge } from "@/components/second-passkey-nudge";
import { SignInNotices } from "@/components/sign-in-notices";
import { SignOutButton } from "@/components/sign-out-button";
import { currentUser } from "@/lib/auth/session";
import { env } from "@/lib/env";
import { passkeys } from "@/lib/passkeys";
import { secondPasskeyNudge } from "@/lib/phone/nudge";
import { phoneTitle } from "@/lib/phone/page-title";
import { isLocalPath } from "@/lib/server/guard";

export const dynamic = "force-dynamic";
export const generateMetadata = phoneTitle("home");

type Search = Promise<Record<string, string | string[] | undefined>>;

/**
 * The phone app's home: sign in (also where next-auth sends a failed plain
 * sign-in, with `?error=` and the page to go back to), then scan login QR codes.
 */
export default async function PhoneHome({ searchParams }: { searchParams: Search }) {
  const query = await searchParams;
  const user = await currentUser();
  const t = await getTranslations("phone.home");
  const tp = await getTranslations("passkeys");
  const ta = await getTranslations("account");
  const tr = await getTranslations("recovery");
  if (!user) {
    const back = typeof query.callbackUrl === "string" ? query.callbackUrl : "";
    const error = typeof query.error === "string" ? query.error : undefined;
    return (
      <section className="card" aria-labelledby="phone-title">
        {query.deleted === "1" ? <p role="status">{ta("deleted")}</p> : null}
        <h1 id="phone-title">{t("signInTitle")}</h1>
        <p className="muted">{t("signInLead")}</p>
        <PhoneSignIn callbackUrl={isLocalPath(back) ? back : "/m"} error={error} />
        {env().signupOpen ? (
          <p>
            <Link href="/m/signup">{ta("signUp.link")}</Link>
          </p>
        ) : null}
        <p>
          <Link href="/m/recover">{tr("lostLink")}</Link>
        </p>
      </section>
    );
  }
  // The name as it is now (currentUser reads it from the directory).
  const name = user.name;
  // A computer's session sees the phone home only to be told to use the phone.
  const passkeyCount =
    user.kind === "phone"
      ? (
          await passkeys(await headers())
            .status(user.id)
            .catch(() => null)
        )?.passkeys.length
      : undefined;
  return (
    <section className="card" aria-labelledby="phone-title">
      <FocusHeading id="phone-title">{t("title")}</FocusHeading>
      <SignInNotices />
      <AccountChangeNotices />
      {passkeyCount !== undefined && (await secondPasskeyNudge(user.id, passkeyCount)) ? (
        <SecondPasskeyNudge addHref="/m/security#passkey-name" back="/m" />
      ) : null}
      <p>{t("lead")}</p>
      <QrScanner />
      <NeverApproveNote />
      <nav aria-label={t("nav")}>
        <ul>
          <li>
            <Link href="/m/link">{t("typeCode")}</Link>
          </li>
          <li>
            <Link href="/m/sessions">{t("devices")}</Link>
          </li>
          <li>
            <Link href="/m/activity">{t("history")}</Link>
          </li>
          <li>
            <Link href="/m/security">{tp("homeLink")}</Link>
          </li>
          <li>
            <Link href="/m/account">{ta("homeLink")}</Link>
          </li>
        </ul>
      </nav>
      <p>{t("signedInAs", { name })}</p>
      <SignOutButton label={t("signOut")} failed={t("signOutFailed")} />
    </section>
  );
}

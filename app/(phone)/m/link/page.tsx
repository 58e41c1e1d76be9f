import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { PhoneSignIn } from "@/components/phone-sign-in";
import { UserCodeForm } from "@/components/user-code-form";
import { currentUser } from "@/lib/auth/session";
import { phoneTitle } from "@/lib/phone/page-title";
import { lookupCode } from "./actions";

export const dynamic = "force-dynamic";
export const generateMetadata = phoneTitle("link");

/** Type the code shown under the QR instead of scanning it. */
export default async function LinkPage() {
  const user = await currentUser();
  const t = await getTranslations("phone");
  if (!user) {
    return (
      <section className="card" aria-labelledby="link-title">
        <h1 id="link-title">{t("signIn.linkTitle")}</h1>
        <p className="muted">{t("signIn.linkLead")}</p>
        <PhoneSignIn callbackUrl="/m/link" />
      </section>
    );
  }
  return (
    <section className="card" aria-labelledby="link-title">
      <h1 id="link-title">{t("link.title")}</h1>
      <p>{t("link.lead")}</p>
      <UserCodeForm action={lookupCode} />
      <p>
        <Link href="/m">{t("nav.back")}</Link>
      </p>
    </section>
  );
}
